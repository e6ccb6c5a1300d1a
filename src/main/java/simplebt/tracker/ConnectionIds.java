package simplebt.tracker;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * BEP 15 connection ids that cost the tracker no memory and that an off-path sender cannot
 * guess: the first 8 bytes of HMAC-SHA256(random key, time slot || sender IP). An id issued
 * in one slot is accepted in that slot and the next, so it lives between one and two slots
 * (BEP 15: clients reuse an id for one minute, trackers accept it for two). Without the
 * key, a sender that spoofs someone else's address never sees the id and cannot compute it,
 * so it cannot make the tracker list a victim's address as a peer.
 * Immutable after construction; each thread uses its own {@link Mac} and scratch bytes.
 */
final class ConnectionIds {
    static final long SLOT_MILLIS = 60_000;
    private final SecretKeySpec key;
    private final LongSupplier clockMillis;
    private final ThreadLocal<Hasher> hashers;

    /** One thread's MAC and the 8 bytes of a slot number, reused for every id it computes. */
    private record Hasher(Mac mac, byte[] slot) {
    }

    ConnectionIds(SecureRandom random, LongSupplier clockMillis) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.clockMillis = clockMillis;
        this.hashers = ThreadLocal.withInitial(() -> new Hasher(newMac(), new byte[8]));
    }

    long issue(byte[] address) {
        return id(slot(), address);
    }

    boolean valid(long connectionId, byte[] address) {
        long slot = slot();
        // The previous slot is tried only when the current one does not match: which slot an
        // id came from is known to whoever holds it, and a forged id costs both MACs anyway.
        return id(slot, address) == connectionId || id(slot - 1, address) == connectionId;
    }

    private long slot() {
        return Math.floorDiv(clockMillis.getAsLong(), SLOT_MILLIS);
    }

    private long id(long slot, byte[] address) {
        Hasher h = hashers.get();
        ByteBuffer.wrap(h.slot).putLong(slot);
        h.mac.update(h.slot);
        h.mac.update(address);
        return ByteBuffer.wrap(h.mac.doFinal()).getLong();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
