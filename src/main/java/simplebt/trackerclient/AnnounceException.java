package simplebt.trackerclient;

/** The tracker could not be reached, answered garbage, or said no ({@code failure reason}). */
public final class AnnounceException extends Exception {
    private final boolean trackerRefused;

    public AnnounceException(String message, boolean trackerRefused) {
        super(message);
        this.trackerRefused = trackerRefused;
    }

    public AnnounceException(String message, Throwable cause) {
        super(message, cause);
        this.trackerRefused = false;
    }

    /** True when the tracker answered with a {@code failure reason} (retrying soon will not help). */
    public boolean trackerRefused() {
        return trackerRefused;
    }
}
