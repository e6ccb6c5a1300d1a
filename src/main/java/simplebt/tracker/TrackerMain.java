package simplebt.tracker;

/** Entry point of tracker.jar. */
public final class TrackerMain {
    private TrackerMain() {
    }

    public static void main(String[] args) {
        System.out.println("usage: java -jar tracker.jar [--host ADDR] [--port 8000] [--data DIR] [--open] [--interval SECONDS]");
        System.out.println("The tracker is not built yet.");
        System.exit(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 1);
    }
}
