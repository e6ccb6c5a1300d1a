package simplebt.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A peer as handed out in an announce reply: address (4 or 16 bytes), port and id. */
record PeerEntry(byte[] ip, int port, PeerId id) {
    boolean isIpv4() {
        return ip.length == 4;
    }

    String ipText() {
        try {
            return InetAddress.getByAddress(ip).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address is 4 or 16 bytes", e);
        }
    }
}
