package simplebt.launcher;

/** Main-Class of node.jar: checks the Java version (see {@link JavaCheck}), then runs the node. */
public final class NodeJar {
    private NodeJar() {
    }

    public static void main(String[] args) {
        if (!JavaCheck.runnable("node.jar", args)) {
            System.exit(1);
        }
        // A plain call, although NodeMain is a Java 21 class file: the JVM resolves this
        // reference only when the call runs (JVMS 5.4: a linkage error is thrown where the
        // reference is used), which is after the check passed. No reflection needed.
        simplebt.node.NodeMain.main(args);
    }
}
