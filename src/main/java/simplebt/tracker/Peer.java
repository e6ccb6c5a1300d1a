package simplebt.tracker;

/**
 * One peer in one swarm, as small as we can keep it: the peer id packed into three primitives
 * (the peer is its own map key, equal by id, so no separate key object exists), an IPv4
 * address as an int (or an IPv6 array), the port, flags, the last announce time, and who owns
 * the entry (a {@link PeerOwner} packed into a long and a flag, plus the digest of the
 * client's {@code key}). Guarded by the owning {@link TrackedSwarm}'s lock.
 */
final class Peer implements Comparable<Peer> {
    private final long idHigh;
    private final long idMiddle;
    private final int idLow;
    int ipv4;
    byte[] ipv6;
    char port;
    boolean seeder;
    /** Whether this peer's {@code completed} event was counted already (once per peer). */
    boolean completed;
    long lastSeenMillis;
    /** Position in the swarm's peer list, for O(1) removal. */
    int index;
    private long ownerId;
    private boolean ownerIsAccount;
    private long key;

    Peer(PeerId id) {
        this.idHigh = id.high();
        this.idMiddle = id.middle();
        this.idLow = id.low();
    }

    void own(PeerOwner owner, long clientKey) {
        this.ownerId = owner.id();
        this.ownerIsAccount = owner.account();
        this.key = clientKey;
    }

    PeerOwner owner() {
        return new PeerOwner(ownerId, ownerIsAccount);
    }

    /**
     * Whether an announce may change or stop this entry. Peer ids are not secret (every
     * handshake carries one, {@code compact=0} lists them), so the id alone proves nothing:
     * the announcer must be the same user (passkey) or, without one, come from the same
     * address; and when the entry was made with a {@code key}, it must send the same key (which
     * also lets a client without a passkey move to a new address).
     */
    boolean mayBeChangedBy(PeerOwner owner, long clientKey, byte[] ip) {
        if (key != AnnounceRequest.NO_KEY && clientKey != key) {
            return false;
        }
        if (ownerIsAccount || owner.account()) {
            return owner.account() && ownerIsAccount && owner.id() == ownerId;
        }
        return key != AnnounceRequest.NO_KEY || sameAddress(ip);
    }

    private boolean sameAddress(byte[] ip) {
        if (ip.length == 4) {
            return ipv6 == null
                    && ipv4 == ((ip[0] & 0xff) << 24 | (ip[1] & 0xff) << 16 | (ip[2] & 0xff) << 8 | (ip[3] & 0xff));
        }
        return java.util.Arrays.equals(ipv6, ip);
    }

    PeerId id() {
        return new PeerId(idHigh, idMiddle, idLow);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Peer p && p.idHigh == idHigh && p.idMiddle == idMiddle && p.idLow == idLow;
    }

    /**
     * Ordering by id lets HashMap turn a bin of colliding ids into a tree, so peer ids made to
     * collide on purpose cost O(log n) per lookup instead of O(n).
     */
    @Override
    public int compareTo(Peer o) {
        int c = Long.compare(idHigh, o.idHigh);
        if (c == 0) {
            c = Long.compare(idMiddle, o.idMiddle);
        }
        return c != 0 ? c : Integer.compare(idLow, o.idLow);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(idHigh * 31 + idMiddle) * 31 + idLow;
    }

    void setAddress(byte[] ip, int port) {
        if (ip.length == 4) {
            ipv4 = (ip[0] & 0xff) << 24 | (ip[1] & 0xff) << 16 | (ip[2] & 0xff) << 8 | (ip[3] & 0xff);
            ipv6 = null;
        } else {
            ipv4 = 0;
            ipv6 = ip.clone();
        }
        this.port = (char) port;
    }

    PeerEntry entry() {
        byte[] ip = ipv6 != null ? ipv6.clone()
                : new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4};
        return new PeerEntry(ip, port, id());
    }
}
