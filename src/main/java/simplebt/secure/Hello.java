package simplebt.secure;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The initiator's first message, 72 bytes:
 * <pre>
 * magic "SBTsec" 00 01   8 bytes  never starts with 0x13, so never a BEP 3 handshake
 * X25519 public key     32 bytes  initiator's ephemeral key, little-endian u
 * torrent tag           32 bytes  HMAC-SHA256(tagKey(swarm), magic || key)
 * </pre>
 * The tag names the torrent only to someone who knows its info hash (and secret, if any), and
 * binds the public key to it, so a flipped key bit is caught before the responder answers.
 * The whole hello stays below the 96 bytes of an MSE public key, so an MSE-capable standard
 * client keeps waiting for more instead of answering: the initiator sees silence, not garbage.
 */
final class Hello {
    static final byte[] MAGIC = {'S', 'B', 'T', 's', 'e', 'c', 0, 1};
    static final int KEY_OFFSET = MAGIC.length;
    static final int TAG_OFFSET = KEY_OFFSET + X25519.KEY_LENGTH;
    static final int TAG_LENGTH = 32;
    static final int LENGTH = TAG_OFFSET + TAG_LENGTH;

    private static final byte[] TAG_SALT = label("tag salt");
    private static final byte[] TAG_KEY_INFO = label("tag key");

    private Hello() {
    }

    static byte[] label(String what) {
        return ("simplebt-secure/1 " + what).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] build(byte[] publicKey, SwarmKey swarm) {
        byte[] hello = new byte[LENGTH];
        System.arraycopy(MAGIC, 0, hello, 0, MAGIC.length);
        System.arraycopy(publicKey, 0, hello, KEY_OFFSET, X25519.KEY_LENGTH);
        System.arraycopy(tag(swarm, publicKey), 0, hello, TAG_OFFSET, TAG_LENGTH);
        return hello;
    }

    /** True when the bytes given (any number) agree with the magic as far as they go; false for none. */
    static boolean startsLikeHello(byte[] first, int length) {
        int n = Math.min(length, MAGIC.length);
        return n > 0 && Arrays.equals(first, 0, n, MAGIC, 0, n);
    }

    static byte[] publicKey(byte[] hello) {
        return Arrays.copyOfRange(hello, KEY_OFFSET, TAG_OFFSET);
    }

    /** The served torrent whose tag matches, compared in constant time; empty if none does. */
    static Optional<SwarmKey> find(byte[] hello, Collection<SwarmKey> served) {
        return HelloMatcher.of(served).find(hello);
    }

    static byte[] tag(SwarmKey swarm, byte[] publicKey) {
        return Hkdf.hmac(tagKey(swarm), MAGIC, publicKey);
    }

    /** The HMAC key of a torrent's tags: depends on the swarm alone, so a responder computes it once. */
    static byte[] tagKey(SwarmKey swarm) {
        return Hkdf.expand(Hkdf.extract(TAG_SALT, swarm.encoded()), TAG_KEY_INFO, 32);
    }
}
