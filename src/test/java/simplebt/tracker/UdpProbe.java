package simplebt.tracker;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A raw UDP socket for tests: send exact bytes to the tracker, read the exact reply (or none). */
final class UdpProbe implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress tracker;

    UdpProbe(String bindAddress, InetSocketAddress tracker) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        this.tracker = tracker;
    }

    /** The reply's bytes, or null when none came within {@code timeoutMillis}. */
    byte[] ask(byte[] packet, int timeoutMillis) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, tracker));
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[9000];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(in);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buf, in.getLength());
    }

    @Override
    public void close() {
        socket.close();
    }
}
