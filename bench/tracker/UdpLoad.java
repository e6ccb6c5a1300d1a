package simplebt.tracker;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import simplebt.udptracker.UdpCodec;
import simplebt.udptracker.UdpEvent;
import simplebt.udptracker.UdpRequest;
import simplebt.udptracker.UdpResponse;

/**
 * UDP announce load (BEP 15), the counterpart of announce.lua: CLIENTS clients, each with its
 * own socket, one announce in flight (connect once, then announce, wait for the reply, repeat),
 * compact, numwant 50, spread over the hashes file with ten peers per torrent (three seeders).
 * Peer ids are announce.lua's (torrent numbers count from 1), so HTTP and UDP rounds against the
 * same tracker announce the same 100,000 peers. Prints "announces/s p50_ms p99_ms lost refused":
 * lost announces got no reply within a second; refused ones got a BEP 15 error (counted in
 * neither the rate nor the latencies).
 *   java -cp build/main:build/bench simplebt.tracker.UdpLoad PORT SECONDS CLIENTS HASHES_FILE
 */
public final class UdpLoad {
    public static void main(String[] args) throws Exception {
        InetSocketAddress tracker = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        long seconds = Long.parseLong(args[1]);
        int clients = Integer.parseInt(args[2]);
        List<byte[]> hashes = Files.readAllLines(Path.of(args[3])).stream().filter(l -> l.length() == 40)
                .map(HexFormat.of()::parseHex).toList();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[][] latencies = new long[clients][];
        AtomicLong lost = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads[c] = Thread.ofPlatform().start(() -> latencies[id] = run(tracker, hashes, end, id, lost, refused));
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            System.out.printf("0 0 0 %d %d%n", lost.get(), refused.get());
            return;
        }
        System.out.printf("%.0f %.3f %.3f %d %d%n", all.length / (double) seconds, all[all.length / 2] / 1e6,
                all[(int) (all.length * 0.99)] / 1e6, lost.get(), refused.get());
    }

    private static long[] run(InetSocketAddress tracker, List<byte[]> hashes, long end, int id, AtomicLong lost,
                              AtomicLong refused) {
        SplittableRandom random = new SplittableRandom(id);
        long[] out = new long[1 << 16];
        int n = 0;
        byte[] buf = new byte[4096];
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            long cid = ((UdpResponse.Connected) ask(s, tracker, UdpCodec.encode(new UdpRequest.Connect(id)), buf)).connectionId();
            while (System.nanoTime() < end) {
                int t = random.nextInt(hashes.size());
                int p = random.nextInt(10);
                byte[] peerId = String.format("-BN0001-%06d%06d", t + 1, p).getBytes();
                byte[] packet = UdpCodec.encode(new UdpRequest.Announce(cid, n, hashes.get(t), peerId, 0,
                        p < 3 ? 0 : 1000, 0, UdpEvent.NONE, 0, 0, 50, 10000 + p, "/announce"));
                long start = System.nanoTime();
                UdpResponse r = ask(s, tracker, packet, buf);
                if (r == null) {
                    lost.incrementAndGet();
                    continue;
                }
                if (r instanceof UdpResponse.Error) {
                    refused.incrementAndGet();
                    continue;
                }
                if (!(r instanceof UdpResponse.Announced)) {
                    throw new IllegalStateException("tracker answered " + r);
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = System.nanoTime() - start;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Arrays.copyOf(out, n);
    }

    private static UdpResponse ask(DatagramSocket s, InetSocketAddress tracker, byte[] packet, byte[] buf) throws Exception {
        s.send(new DatagramPacket(packet, packet.length, tracker));
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            s.receive(in);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return UdpCodec.decodeResponse(buf, in.getLength(), false);
    }
}
