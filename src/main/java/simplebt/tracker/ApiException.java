package simplebt.tracker;

/** An /api request that fails with an HTTP status and a message for {@code {"error": ...}}. */
final class ApiException extends Exception {
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
