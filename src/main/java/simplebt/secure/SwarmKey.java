package simplebt.secure;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import simplebt.metainfo.InfoHash;

/**
 * What both ends of a secure connection must share: the torrent's info hash and, for a swarm
 * on our tracker, the swarm secret from the announce reply ({@code sbt secret}). Without the
 * secret, anybody who knows the info hash can open a secure connection (it still hides the
 * traffic from a passive observer); with it, only members of the swarm can.
 */
public record SwarmKey(InfoHash infoHash, Optional<byte[]> swarmSecret) {
    /** Bounds what goes into the key schedule; the tracker's secrets are 32 bytes. */
    public static final int MAX_SECRET_LENGTH = 1024;

    public SwarmKey {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(swarmSecret, "swarmSecret");
        swarmSecret = swarmSecret.map(s -> {
            if (s.length == 0 || s.length > MAX_SECRET_LENGTH) {
                throw new IllegalArgumentException("swarm secret must be 1.." + MAX_SECRET_LENGTH + " bytes, got " + s.length);
            }
            return s.clone();
        });
    }

    public static SwarmKey open(InfoHash infoHash) {
        return new SwarmKey(infoHash, Optional.empty());
    }

    public static SwarmKey withSecret(InfoHash infoHash, byte[] secret) {
        return new SwarmKey(infoHash, Optional.of(secret));
    }

    @Override
    public Optional<byte[]> swarmSecret() {
        return swarmSecret.map(byte[]::clone);
    }

    /**
     * info hash (20) || secret length (u16, 0 when absent) || secret: the swarm's part of every
     * HKDF input, length-prefixed so that no two keys encode alike.
     */
    byte[] encoded() {
        byte[] secret = swarmSecret.orElse(new byte[0]);
        byte[] out = new byte[InfoHash.LENGTH + 2 + secret.length];
        System.arraycopy(infoHash.bytes(), 0, out, 0, InfoHash.LENGTH);
        out[InfoHash.LENGTH] = (byte) (secret.length >>> 8);
        out[InfoHash.LENGTH + 1] = (byte) secret.length;
        System.arraycopy(secret, 0, out, InfoHash.LENGTH + 2, secret.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwarmKey k && infoHash.equals(k.infoHash)
                && MessageDigest.isEqual(swarmSecret.orElse(null), k.swarmSecret.orElse(null));
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(swarmSecret.orElse(null));
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "SwarmKey[" + infoHash.hex() + (swarmSecret.isPresent() ? ", with secret]" : ", no secret]");
    }
}
