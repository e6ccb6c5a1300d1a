package simplebt.tracker;

/**
 * One peer in one swarm, as small as we can keep it: the packed peer id, an IPv4 address as an
 * int (or an IPv6 array), the port, two flags and the last announce time. Guarded by the
 * owning {@link Swarm}'s lock.
 */
final class Peer {
    final PeerId id;
    int ipv4;
    byte[] ipv6;
    char port;
    boolean seeder;
    /** Whether this peer's {@code completed} event was counted already (once per peer). */
    boolean completed;
    long lastSeenMillis;
    /** Position in the swarm's peer list, for O(1) removal. */
    int index;

    Peer(PeerId id) {
        this.id = id;
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
        return new PeerEntry(ip, port, id);
    }
}
