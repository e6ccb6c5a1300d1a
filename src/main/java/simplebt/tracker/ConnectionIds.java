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
 * Immutable after construction; each thread uses its own {@link Mac}.
 */
final class ConnectionIds {
    static final long SLOT_MILLIS = 60_000;
    private final SecretKeySpec key;
    private final LongSupplier clockMillis;
    private final ThreadLocal<Mac> macs;

    ConnectionIds(SecureRandom random, LongSupplier clockMillis) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.clockMillis = clockMillis;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    long issue(byte[] address) {
        return id(slot(), address);
    }

    boolean valid(long connectionId, byte[] address) {
        long slot = slot();
        // Both are always computed, so the time taken does not say which slot matched.
        boolean current = id(slot, address) == connectionId;
        boolean previous = id(slot - 1, address) == connectionId;
        return current | previous;
    }

    private long slot() {
        return Math.floorDiv(clockMillis.getAsLong(), SLOT_MILLIS);
    }

    private long id(long slot, byte[] address) {
        Mac mac = macs.get();
        mac.update(ByteBuffer.allocate(8).putLong(slot).array());
        mac.update(address);
        return ByteBuffer.wrap(mac.doFinal()).getLong();
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
