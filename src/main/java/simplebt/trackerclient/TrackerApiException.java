package simplebt.trackerclient;

import java.io.IOException;

/**
 * The tracker's API refused a request; the message is the server's {@code error} text, and
 * {@link #status()} its HTTP status (0 when the tracker could not be reached at all).
 */
public final class TrackerApiException extends IOException {
    private final int status;

    public TrackerApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public TrackerApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
