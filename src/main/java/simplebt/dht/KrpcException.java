package simplebt.dht;

/**
 * A datagram that is not a KRPC message we accept. {@code t} is the transaction id when it
 * could be read and the datagram was a query, so the sender can be told (error {@code code});
 * null means drop it silently.
 */
public final class KrpcException extends Exception {
    private final transient byte[] t;
    private final int code;

    public KrpcException(byte[] t, int code, String message) {
        super(message);
        this.t = t == null ? null : t.clone();
        this.code = code;
    }

    public byte[] t() {
        return t == null ? null : t.clone();
    }

    public int code() {
        return code;
    }

    public KrpcMessage.Error reply() {
        return new KrpcMessage.Error(t(), code, getMessage());
    }
}
