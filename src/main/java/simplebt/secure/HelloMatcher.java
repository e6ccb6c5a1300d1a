package simplebt.secure;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Finds which of the torrents a node serves an incoming hello is for, without the info hash
 * ever crossing the wire: the hello's tag is tried against every served torrent's tag key
 * (docs/secure-channel.md, "One port, many torrents"). The tag keys depend on the swarm alone, so
 * they are derived once here (two HMACs each) and every incoming hello costs one HMAC-SHA256
 * per served torrent. Every candidate is tried, and compared in constant time, whichever
 * matches, so the time taken tells nothing about which torrent it was.
 *
 * <p>Immutable once built; one instance may serve many threads (each {@link #find} uses its own Mac).
 */
public final class HelloMatcher {
    private final List<SwarmKey> keys;
    private final byte[][] tagKeys;

    private HelloMatcher(List<SwarmKey> keys, HelloMatcher earlier) {
        this.keys = keys;
        this.tagKeys = new byte[keys.size()][];
        Map<SwarmKey, byte[]> known = new HashMap<>();
        for (int i = 0; earlier != null && i < earlier.tagKeys.length; i++) {
            known.put(earlier.keys.get(i), earlier.tagKeys[i]);
        }
        for (int i = 0; i < tagKeys.length; i++) {
            byte[] k = known.get(keys.get(i));
            tagKeys[i] = k != null ? k : Hello.tagKey(keys.get(i));
        }
    }

    public static HelloMatcher of(Collection<SwarmKey> keys) {
        return new HelloMatcher(List.copyOf(keys), null);
    }

    /** For {@code keys}, deriving tag keys only for those this one does not have (a torrent came, a secret arrived). */
    public HelloMatcher updated(Collection<SwarmKey> keys) {
        return new HelloMatcher(List.copyOf(keys), this);
    }

    /** The keys it was built for, in order; equal lists mean the same matcher. */
    public List<SwarmKey> keys() {
        return keys;
    }

    /** The served torrent whose tag the hello carries; empty if none does (or the hello is too short). */
    public Optional<SwarmKey> find(byte[] hello) {
        if (hello.length < Hello.LENGTH) {
            return Optional.empty();
        }
        byte[] tag = Arrays.copyOfRange(hello, Hello.TAG_OFFSET, Hello.LENGTH);
        Mac mac = newMac();
        SwarmKey found = null;
        for (int i = 0; i < tagKeys.length; i++) {
            try {
                mac.init(new SecretKeySpec(tagKeys[i], "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a 32-byte HMAC key is always valid", e);
            }
            mac.update(Hello.MAGIC);
            mac.update(hello, Hello.KEY_OFFSET, X25519.KEY_LENGTH);
            // no early exit: the time taken must not say which torrent matched
            if (MessageDigest.isEqual(mac.doFinal(), tag) && found == null) {
                found = keys.get(i);
            }
        }
        return Optional.ofNullable(found);
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
