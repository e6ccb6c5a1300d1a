package simplebt.tracker;

/**
 * An /api request that fails with an HTTP status and a message for {@code {"error": ...}};
 * refusals that clear up by themselves (429, 503) say when to come back ({@code Retry-After}).
 */
final class ApiException extends Exception {
    private final int status;
    private final long retryAfterSeconds;

    ApiException(int status, String message) {
        this(status, message, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when above 0 */
    ApiException(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
