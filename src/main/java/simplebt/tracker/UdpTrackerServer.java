package simplebt.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

import simplebt.log.Log;
import simplebt.udptracker.UdpCodec;

/**
 * The UDP side of the tracker (BEP 15): one datagram socket read by a fixed number of platform
 * threads, each receiving, answering through {@link UdpAnnounceHandler} and sending in turn.
 * Bounded by construction: at most {@code workers} packets are being handled, and the rest
 * wait in the kernel's socket buffer, which drops what does not fit. Owns the channel and the
 * worker threads; {@link #close()} stops both.
 *
 * <p>Platform threads, not virtual ones: a worker spends its life in {@code receive}, and a
 * virtual thread blocked there parks, hands its fd to the JDK's poller and is woken through
 * it, two context switches per packet when the queue runs dry. A platform thread sleeps in
 * the kernel's {@code recvfrom} and is woken by the packet itself (bench/tracker/NOTES.md:
 * 13.9 against 9.6 us of CPU per announce). Handling is in-memory work only (no disk, no
 * DNS), so one slow packet cannot hold a worker.
 */
final class UdpTrackerServer implements AutoCloseable {
    /** Kernel receive buffer asked for; the kernel may grant less (net.core.rmem_max). */
    private static final int RECEIVE_BUFFER = 4 << 20;
    private final DatagramChannel channel;
    private final UdpAnnounceHandler handler;
    private final List<Thread> workers = new ArrayList<>();

    UdpTrackerServer(InetSocketAddress bind, UdpAnnounceHandler handler, int workers) throws IOException {
        this.handler = handler;
        this.channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            channel.bind(bind);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name("udp-tracker-" + i).start(this::loop));
        }
    }

    int port() {
        return ((InetSocketAddress) channel.socket().getLocalSocketAddress()).getPort();
    }

    private void loop() {
        // One byte more than the largest request, so an oversized datagram shows as too long.
        ByteBuffer in = ByteBuffer.allocate(UdpCodec.MAX_REQUEST + 1);
        while (channel.isOpen()) {
            try {
                in.clear();
                SocketAddress from = channel.receive(in);
                if (!(from instanceof InetSocketAddress source)) {
                    continue;
                }
                byte[] reply = handler.handle(in.array(), in.position(), source.getAddress());
                if (reply != null) {
                    channel.send(ByteBuffer.wrap(reply), source);
                }
            } catch (ClosedChannelException e) { // close(): also wakes a worker blocked in receive
                return;
            } catch (IOException | RuntimeException e) {
                // One bad exchange (an unreachable sender, a bug on one packet) must not stop the loop.
                Log.debug("UDP tracker: " + e);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.debug("closing the UDP tracker socket: " + e);
        }
        for (Thread t : workers) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
