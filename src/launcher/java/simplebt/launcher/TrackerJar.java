package simplebt.launcher;

/** Main-Class of tracker.jar: checks the Java version (see {@link JavaCheck}), then runs the tracker. */
public final class TrackerJar {
    private TrackerJar() {
    }

    public static void main(String[] args) {
        if (!JavaCheck.runnable("tracker.jar", args)) {
            System.exit(1);
        }
        // A plain call, although TrackerMain is a Java 21 class file: the JVM resolves this
        // reference only when the call runs (JVMS 5.4: a linkage error is thrown where the
        // reference is used), which is after the check passed. No reflection needed.
        simplebt.tracker.TrackerMain.main(args);
    }
}
