package simplebt.dht;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * announce_peer tokens (BEP 5): an HMAC of the requester's IP under a secret that changes every
 * five minutes; a token made with the previous secret is still accepted, so a token lives 5-10
 * minutes. Nothing is stored per requester, so tokens cost no memory however many ask.
 */
public final class Tokens {
    public static final long ROTATE_MILLIS = 5 * 60_000L;
    private static final int LENGTH = 8;

    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private byte[] current;
    private byte[] previous;
    private long rotatedAt;

    public Tokens(LongSupplier millisClock) {
        this.clock = millisClock;
        this.current = secret();
        this.previous = secret();
        this.rotatedAt = clock.getAsLong();
    }

    public byte[] issue(InetAddress requester) {
        lock.lock();
        try {
            rotate();
            return mac(current, requester);
        } finally {
            lock.unlock();
        }
    }

    public boolean valid(byte[] token, InetAddress requester) {
        lock.lock();
        try {
            rotate();
            // constant time: the comparison should not tell a forger how many bytes were right
            return MessageDigest.isEqual(token, mac(current, requester)) || MessageDigest.isEqual(token, mac(previous, requester));
        } finally {
            lock.unlock();
        }
    }

    private void rotate() {
        long now = clock.getAsLong();
        if (now - rotatedAt >= 2 * ROTATE_MILLIS) {
            previous = secret(); // both are stale: nothing issued before may pass
            current = secret();
            rotatedAt = now;
        } else if (now - rotatedAt >= ROTATE_MILLIS) {
            previous = current;
            current = secret();
            rotatedAt += ROTATE_MILLIS;
        }
    }

    private byte[] secret() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }

    private static byte[] mac(byte[] secret, InetAddress ip) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(ip.getAddress()), LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
