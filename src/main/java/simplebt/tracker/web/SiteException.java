package simplebt.tracker.web;

/** A request the site refuses, with the HTTP status and a message for the person. */
public final class SiteException extends Exception {
    private final int status;

    public SiteException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
