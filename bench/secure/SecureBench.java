import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import simplebt.metainfo.InfoHash;
import simplebt.secure.SecureChannel;
import simplebt.secure.SecureStreams;
import simplebt.secure.SwarmKey;

/**
 * Throughput of the secure streams against plain buffered socket streams over one loopback
 * connection: the sender writes BEP 3 piece messages (13-byte header + 16 KiB block) as fast as
 * it can, the receiver reads them message by message. Rounds alternate plain/secure so that
 * both see the same machine load; the median of each is reported.
 *
 * Run: bench/secure/run.sh [--gib N] [--rounds N] [--flush-each]
 * Besides the human-readable lines it prints RESULT lines (bench/lib.sh) for bench/run.sh.
 */
public class SecureBench {
    static final int BLOCK = 16 * 1024;
    static final int MESSAGE = 13 + BLOCK;
    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    static String lastCpu = "";
    static double lastCpuTotal;

    public static void main(String[] args) throws Exception {
        double gib = 1;
        int rounds = 3;
        boolean flushEach = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gib" -> gib = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--flush-each" -> flushEach = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long bytes = (long) (gib * (1L << 30));
        long messages = bytes / MESSAGE;
        System.out.printf("java %s, %d cores; %d piece messages = %.2f GiB per run, %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), messages,
                messages * (double) MESSAGE / (1L << 30), flushEach ? "flush after each message" : "flush at the end");
        System.out.printf("AES-256-GCM alone (one core, 16 KiB records): %.0f MB/s%n", cryptoOnly());
        warmUp(flushEach);
        List<Double> plain = new ArrayList<>();
        List<Double> secure = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        List<Double> secureCpu = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            double p = run(false, messages, flushEach);
            String pCpu = lastCpu;
            plainCpu.add(lastCpuTotal);
            double s = run(true, messages, flushEach);
            secureCpu.add(lastCpuTotal);
            plain.add(p);
            secure.add(s);
            System.out.printf("round %d: plain %.0f MB/s (%s), secure %.0f MB/s (%s): %.0f%%%n", r, p, pCpu, s, lastCpu, 100 * s / p);
            result("throughput", "plain", "ref", r, p, "MB/s", "higher");
            result("throughput", "secure", "ours", r, s, "MB/s", "higher");
            result("cpu", "plain", "ref", r, plainCpu.getLast(), "s/GB", "lower");
            result("cpu", "secure", "ours", r, secureCpu.getLast(), "s/GB", "lower");
        }
        double p = median(plain);
        double s = median(secure);
        System.out.printf("median: plain %.0f MB/s, secure %.0f MB/s, secure/plain = %.1f%% (goal >= 90%%)%n", p, s, 100 * s / p);
        double pc = median(plainCpu);
        double sc = median(secureCpu);
        System.out.printf("median CPU (both threads): plain %.2f s/GB, secure %.2f s/GB; if CPU-bound, secure/plain = %.1f%%%n",
                pc, sc, 100 * pc / sc);
    }

    /** One machine-readable line for bench/run.sh (the protocol is described in bench/lib.sh). */
    static void result(String metric, String tool, String role, int round, double value, String unit, String better) {
        System.out.printf(java.util.Locale.ROOT, "RESULT scenario=secure-streams metric=%s tool=%s role=%s round=%d value=%.2f unit=%s better=%s%n",
                metric, tool, role, round, value, unit, better);
    }

    static void warmUp(boolean flushEach) throws Exception {
        for (int i = 0; i < 3; i++) { // 3 x 64 MiB each way, so both paths are compiled before timing
            run(false, 4096, flushEach);
            run(true, 4096, flushEach);
        }
    }

    /** Returns MB/s (10^6 bytes per second) as the receiver saw it. */
    static double run(boolean secure, long messages, boolean flushEach) throws Exception {
        SwarmKey key = SwarmKey.withSecret(new InfoHash(new byte[20]), new byte[32]);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Streams> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = server.accept();
                    if (!secure) {
                        return Streams.plain(s);
                    }
                    byte[] first = s.getInputStream().readNBytes(SecureChannel.PREFIX_LENGTH);
                    SecureStreams ss = SecureChannel.accept(s, first, List.of(key), Duration.ofSeconds(5)).streams();
                    return new Streams(ss.in(), ss.out(), s);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Streams sender;
            if (secure) {
                SecureStreams ss = SecureChannel.connect(client, key, Duration.ofSeconds(5));
                sender = new Streams(ss.in(), ss.out(), client);
            } else {
                client.setTcpNoDelay(true);
                sender = Streams.plain(client);
            }
            Streams receiver = accepted.get();
            try {
                long[] sendCpu = new long[1];
                Thread writer = Thread.ofPlatform().start(() -> {
                    long c0 = CPU.getCurrentThreadCpuTime();
                    send(sender.out, messages, flushEach);
                    sendCpu[0] = CPU.getCurrentThreadCpuTime() - c0;
                });
                long c0 = CPU.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                receive(receiver.in, messages);
                long t1 = System.nanoTime();
                long receiveCpu = CPU.getCurrentThreadCpuTime() - c0;
                writer.join();
                double gb = messages * (double) MESSAGE / 1e9;
                lastCpuTotal = (sendCpu[0] + receiveCpu) / 1e9 / gb;
                lastCpu = String.format("cpu s/GB: send %.2f, receive %.2f", sendCpu[0] / 1e9 / gb, receiveCpu / 1e9 / gb);
                return gb * 1e3 / ((t1 - t0) / 1e9);
            } finally {
                sender.socket.close();
                receiver.socket.close();
            }
        }
    }

    static void send(OutputStream out, long messages, boolean flushEach) {
        byte[] message = new byte[MESSAGE];
        new Random(1).nextBytes(message);
        try {
            for (long i = 0; i < messages; i++) {
                message[0] = 0; // <len=0x00004009><id=7><index><begin><block>
                message[1] = 0;
                message[2] = 0x40;
                message[3] = 0x09;
                message[4] = 7;
                out.write(message);
                if (flushEach) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void receive(InputStream in, long messages) throws IOException {
        byte[] message = new byte[MESSAGE];
        for (long i = 0; i < messages; i++) {
            int n = in.readNBytes(message, 0, MESSAGE);
            if (n != MESSAGE || message[4] != 7) {
                throw new IOException("short or bad message " + i);
            }
        }
    }

    static double cryptoOnly() throws Exception {
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        javax.crypto.spec.SecretKeySpec k = new javax.crypto.spec.SecretKeySpec(new byte[32], "AES");
        byte[] in = new byte[BLOCK];
        byte[] out = new byte[BLOCK + 16];
        byte[] nonce = new byte[12];
        long records = 0;
        long t0 = 0;
        for (int phase = 0; phase < 2; phase++) { // phase 0 warms the JIT up (GHASH intrinsics)
            records = 0;
            t0 = System.nanoTime();
            while (System.nanoTime() - t0 < 1_500_000_000L) {
                records++;
                for (int b = 0; b < 8; b++) {
                    nonce[4 + b] = (byte) (records >>> (56 - 8 * b));
                }
                nonce[0] = (byte) phase;
                c.init(javax.crypto.Cipher.ENCRYPT_MODE, k, new javax.crypto.spec.GCMParameterSpec(128, nonce));
                c.updateAAD(out, 0, 2);
                c.doFinal(in, 0, BLOCK, out, 0);
            }
        }
        return records * (double) BLOCK / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    record Streams(InputStream in, OutputStream out, Socket socket) {
        static Streams plain(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return new Streams(new BufferedInputStream(s.getInputStream(), 64 * 1024),
                    new BufferedOutputStream(s.getOutputStream(), 64 * 1024), s);
        }
    }
}
