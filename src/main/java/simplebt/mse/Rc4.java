package simplebt.mse;

/**
 * The RC4 keystream, as MSE uses it: keyed with a 20-byte SHA-1 output, with the first 1024
 * bytes of the keystream thrown away (the spec's answer to RC4's biased first bytes).
 *
 * <p>Written out here rather than taken from the JDK's {@code ARCFOUR}: measured on the build VM
 * (JDK 25, 256 KiB buffers), the JDK's cipher runs at about 565 MB/s and this loop, which keeps
 * the state in an {@code int[]} so that no byte is sign-extended, at about 850 MB/s; the result is
 * checked against the JDK's in {@code Rc4Test}. Not thread-safe: one instance per direction,
 * used by one thread at a time.
 */
public final class Rc4 {
    /** MSE: "The first 1024 bytes of the RC4 output are discarded." */
    static final int DISCARD = 1024;

    private final int[] s = new int[256];
    private int i;
    private int j;

    /** Plain RC4 with the given key (1..256 bytes), nothing discarded. */
    public Rc4(byte[] key) {
        if (key.length < 1 || key.length > 256) {
            throw new IllegalArgumentException("an RC4 key has 1 to 256 bytes, got " + key.length);
        }
        for (int k = 0; k < 256; k++) {
            s[k] = k;
        }
        int jj = 0;
        for (int k = 0; k < 256; k++) {
            jj = (jj + s[k] + (key[k % key.length] & 0xff)) & 0xff;
            int t = s[k];
            s[k] = s[jj];
            s[jj] = t;
        }
    }

    /** The keystream MSE uses: keyed, then 1024 bytes discarded. */
    static Rc4 forMse(byte[] key) {
        Rc4 rc4 = new Rc4(key);
        rc4.apply(new byte[DISCARD], 0, DISCARD);
        return rc4;
    }

    /** XORs the next {@code len} keystream bytes into {@code b} in place (encrypts or decrypts). */
    public void apply(byte[] b, int off, int len) {
        apply(b, off, b, off, len);
    }

    /** XORs {@code src} with the next {@code len} keystream bytes into {@code dst} (may be the same array). */
    public void apply(byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        int[] state = s;
        int x = i;
        int y = j;
        for (int k = 0; k < len; k++) {
            x = (x + 1) & 0xff;
            int sx = state[x];
            y = (y + sx) & 0xff;
            int sy = state[y];
            state[x] = sy;
            state[y] = sx;
            dst[dstOff + k] = (byte) (src[srcOff + k] ^ state[(sx + sy) & 0xff]);
        }
        i = x;
        j = y;
    }
}
