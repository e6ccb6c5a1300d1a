package simplebt.tracker;

/**
 * Whether and where tracker.jar answers UDP announces (BEP 15): off, on the same port number
 * as HTTP ({@code port == SAME_AS_HTTP}), or on a port of its own (0 picks a free one).
 */
public record UdpListen(boolean enabled, int port) {
    public static final int SAME_AS_HTTP = -1;
    public static final UdpListen OFF = new UdpListen(false, 0);
    public static final UdpListen SAME_PORT = new UdpListen(true, SAME_AS_HTTP);

    public UdpListen {
        if (port < SAME_AS_HTTP || port > 65535) {
            throw new IllegalArgumentException("UDP port must be 0-65535, got " + port);
        }
    }

    public static UdpListen on(int port) {
        return new UdpListen(true, port);
    }
}
