package simplebt.tracker;

/**
 * An announce or scrape the tracker refuses; the message is sent back as the bencoded
 * {@code failure reason} (BEP 3), so it must make sense to a user reading a client's log.
 */
final class BadRequest extends Exception {
    BadRequest(String message) {
        super(message);
    }
}
