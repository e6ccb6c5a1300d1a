package simplebt.cli;

/** The user asked for something the command line cannot mean; printed as one line. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
