package simplebt.tracker;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * CPU per announce in our own code, without HTTP: parse the raw query, apply it to the swarm,
 * encode the compact reply. Same workload as announce.lua (10,000 torrents, ten peers each).
 * Compared with the HTTP numbers it shows how much of a request is ours and how much is
 * com.sun.net.httpserver and the kernel.
 */
final class HotPath {
    private HotPath() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("hotpath");
        SecureRandom random = new SecureRandom();
        Store store = new Store(dir);
        AnnounceService service = new AnnounceService(TrackerConfig.defaults(dir).withOpen(true),
                // every query comes from one address: allow its 10 peers per torrent, 100,000 in all
                new Swarms(new PeerLimits(10, 1_000_000, 1_000_000, 100_000)),
                new TorrentRegistry(store, System::currentTimeMillis, random),
                new Accounts(store, new PasswordHasher(1, random), new LoginThrottle(System::currentTimeMillis),
                        System::currentTimeMillis, random), System::currentTimeMillis);
        String[] queries = new String[100_000];
        String[] hashes = new String[10_000];
        for (int i = 0; i < hashes.length; i++) {
            byte[] h = new byte[20];
            random.nextBytes(h);
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
            hashes[i] = sb.toString();
        }
        for (int i = 0; i < queries.length; i++) {
            int t = random.nextInt(hashes.length);
            int p = random.nextInt(10);
            queries[i] = "info_hash=" + hashes[t] + "&peer_id=-BN0001-" + String.format("%06d%06d", t, p) + "&port=" + (10000 + p)
                    + "&uploaded=0&downloaded=0&left=" + (p < 3 ? 0 : 1000) + "&compact=1&numwant=50";
        }
        InetAddress source = InetAddress.getLoopbackAddress();
        long bytes = 0;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 6; round++) {
            long start = System.nanoTime();
            int n = 1_000_000;
            for (int i = 0; i < n; i++) {
                bytes += service.announce(AnnounceRequest.parse(queries[i % queries.length], null, source, false)).encode().length;
            }
            best = Math.min(best, (System.nanoTime() - start) / 1000.0 / n);
        }
        System.out.printf("our announce logic without HTTP (parse, swarm, encode): %.2f us per announce, best of 6 rounds"
                + " (%d reply bytes)%n", best, bytes);
    }
}
