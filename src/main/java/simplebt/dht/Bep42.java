package simplebt.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.zip.CRC32C;
import java.util.random.RandomGenerator;

/**
 * BEP 42: a node id tied to the node's external IPv4 address. The first 21 bits are the CRC-32C
 * of the masked address with 3 random bits {@code r} on top, the last byte carries {@code r}.
 * Addresses on loopback, private and link-local networks are exempt: there any id is fine.
 */
public final class Bep42 {
    private static final int MASK = 0x030f3fff;

    private Bep42() {
    }

    public static boolean exempt(InetAddress ip) {
        return !(ip instanceof Inet4Address) || ip.isLoopbackAddress() || ip.isSiteLocalAddress()
                || ip.isLinkLocalAddress() || ip.isAnyLocalAddress();
    }

    public static NodeId idFor(InetAddress ip, RandomGenerator random) {
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        if (exempt(ip)) {
            return new NodeId(id);
        }
        int r = id[19] & 0x07;
        id[19] = (byte) r; // libtorrent keeps the whole last byte random; r is its low 3 bits
        int crc = crc(ip, r);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) ((crc >>> 8) & 0xf8 | id[2] & 0x07);
        return new NodeId(id);
    }

    /** True when {@code id} follows BEP 42 for {@code ip}, or {@code ip} is exempt. */
    public static boolean valid(NodeId id, InetAddress ip) {
        if (exempt(ip)) {
            return true;
        }
        byte[] b = id.bytes();
        int crc = crc(ip, b[19] & 0x07);
        return b[0] == (byte) (crc >>> 24) && b[1] == (byte) (crc >>> 16) && (b[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    private static int crc(InetAddress ip, int r) {
        byte[] a = ip.getAddress();
        int v = (((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff)) & MASK | (r << 29);
        CRC32C c = new CRC32C();
        c.update(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        return (int) c.getValue();
    }
}
