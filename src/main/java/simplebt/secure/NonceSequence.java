package simplebt.secure;

/**
 * The 96-bit GCM nonces of one direction: a fixed secret IV XOR a 64-bit record counter
 * (the TLS 1.3 construction, RFC 8446 §5.3). The counter only goes up, so a nonce never repeats
 * under one key; both sides count, so nonces never cross the wire and a replayed, dropped or
 * reordered record fails authentication.
 *
 * <p>The sequence ends well before the counter could wrap: RFC 8446 §5.5 allows about 2^24.5
 * full-size AES-GCM records per key, so after {@link #DEFAULT_LIMIT} records the connection is
 * closed (the engine simply reconnects).
 */
final class NonceSequence {
    static final int NONCE_LENGTH = 12;
    static final long DEFAULT_LIMIT = 1L << 24;

    private final byte[] iv;
    private final long limit;
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private long next;

    NonceSequence(byte[] iv) {
        this(iv, DEFAULT_LIMIT);
    }

    /** A smaller limit is for tests. */
    NonceSequence(byte[] iv, long limit) {
        if (iv.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("IV must be 12 bytes, got " + iv.length);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.iv = iv.clone();
        this.limit = limit;
    }

    /** The counter the next nonce will carry (= records done so far). */
    long counter() {
        return next;
    }

    /**
     * Returns the next nonce in a buffer owned by this object (valid until the next call;
     * GCMParameterSpec copies it). Throws once the limit is reached.
     */
    byte[] next() throws SecureChannelException {
        if (next >= limit) {
            throw new SecureChannelException(SecureChannelException.Kind.RECORD_LIMIT,
                    "record limit of " + limit + " per direction reached; reconnect for fresh keys");
        }
        long c = next++;
        System.arraycopy(iv, 0, nonce, 0, 4);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (iv[4 + i] ^ (c >>> (56 - 8 * i)));
        }
        return nonce;
    }
}
