package simplebt.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** BEP 5 compact forms: a peer is 4 bytes IPv4 + 2 bytes port; a node is its 20-byte id and then a peer. */
public final class Compact {
    public static final int PEER = 6;
    public static final int NODE = NodeId.LENGTH + PEER;

    private Compact() {
    }

    /** The 6 bytes of an IPv4 address and port; empty for IPv6 (this DHT is IPv4 only, as BEP 5). */
    public static byte[] peer(InetSocketAddress a) {
        if (!(a.getAddress() instanceof Inet4Address v4)) {
            return new byte[0];
        }
        byte[] out = Arrays.copyOf(v4.getAddress(), PEER);
        out[4] = (byte) (a.getPort() >>> 8);
        out[5] = (byte) a.getPort();
        return out;
    }

    /** Null when port 0: such an address cannot be dialed or queried. */
    public static InetSocketAddress peer(byte[] b, int offset) {
        int port = ((b[offset + 4] & 0xff) << 8) | (b[offset + 5] & 0xff);
        if (port == 0) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + 4)), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an address", e);
        }
    }

    public static byte[] nodes(List<NodeInfo> nodes) {
        byte[] out = new byte[nodes.size() * NODE];
        int at = 0;
        for (NodeInfo n : nodes) {
            byte[] p = peer(n.address());
            if (p.length == PEER) {
                System.arraycopy(n.id().bytes(), 0, out, at, NodeId.LENGTH);
                System.arraycopy(p, 0, out, at + NodeId.LENGTH, PEER);
                at += NODE;
            }
        }
        return Arrays.copyOf(out, at);
    }

    /** Entries with port 0 are skipped; the caller checked the length is a multiple of 26. */
    public static List<NodeInfo> nodes(byte[] b) {
        List<NodeInfo> out = new ArrayList<>(b.length / NODE);
        for (int at = 0; at + NODE <= b.length; at += NODE) {
            InetSocketAddress a = peer(b, at + NodeId.LENGTH);
            if (a != null) {
                out.add(new NodeInfo(new NodeId(Arrays.copyOfRange(b, at, at + NodeId.LENGTH)), a));
            }
        }
        return out;
    }
}
