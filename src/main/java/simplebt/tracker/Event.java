package simplebt.tracker;

/**
 * The announce {@code event} parameter (BEP 3); NONE is the regular re-announce. BEP 21's
 * {@code paused} (sent by libtorrent while it is a partial seed) is a regular announce too:
 * the peer stays in the swarm and {@code left} says what it still lacks.
 */
enum Event {
    NONE, STARTED, COMPLETED, STOPPED;

    static Event parse(String text) throws BadRequest {
        return switch (text) {
            case "", "empty", "paused" -> NONE;
            case "started" -> STARTED;
            case "completed" -> COMPLETED;
            case "stopped" -> STOPPED;
            default -> throw new BadRequest("unknown event '" + text + "'");
        };
    }
}
