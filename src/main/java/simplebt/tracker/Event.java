package simplebt.tracker;

/** The announce {@code event} parameter (BEP 3); NONE is the regular re-announce. */
enum Event {
    NONE, STARTED, COMPLETED, STOPPED;

    static Event parse(String text) throws BadRequest {
        return switch (text) {
            case "", "empty" -> NONE;
            case "started" -> STARTED;
            case "completed" -> COMPLETED;
            case "stopped" -> STOPPED;
            default -> throw new BadRequest("unknown event '" + text + "'");
        };
    }
}
