package simplebt.tracker;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

import simplebt.metainfo.InfoHash;

/**
 * Heap bytes per registered peer: announce N peers (over T torrents, 10,000 unless given;
 * numwant=0) into an open-mode AnnounceService and compare the live heap after a full GC with
 * the heap before. With T = N every peer has its own swarm: the bytes per swarm plus peer.
 * Compiled into simplebt.tracker (bench/tracker/run.sh) to reach the package's classes.
 */
final class PeerMemory {
    private PeerMemory() {
    }

    public static void main(String[] args) throws Exception {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int torrents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path dir = Files.createTempDirectory("peermem");
        SecureRandom random = new SecureRandom();
        Store store = new Store(dir);
        TrackerConfig config = TrackerConfig.defaults(dir).withOpen(true);
        AnnounceService service = new AnnounceService(config, new Swarms(), new TorrentRegistry(store, System::currentTimeMillis, random),
                new Accounts(store, new PasswordHasher(1, random), new LoginThrottle(System::currentTimeMillis),
                        System::currentTimeMillis, random), System::currentTimeMillis);
        InfoHash[] hashes = new InfoHash[torrents];
        for (int i = 0; i < torrents; i++) {
            byte[] h = new byte[20];
            random.nextBytes(h);
            hashes[i] = new InfoHash(h);
        }
        long before = usedAfterGc();
        byte[] ip = {10, 0, 0, 0};
        for (int i = 0; i < peers; i++) {
            byte[] id = String.format("-BN0001-%012d", i).getBytes();
            ip[1] = (byte) (i >>> 16); // every peer its own address: the per-owner counters' worst case
            ip[2] = (byte) (i >>> 8);
            ip[3] = (byte) i;
            service.announce(new AnnounceRequest(hashes[i % torrents], id, ip.clone(), 10000 + (i & 0x3fff), 0, 0,
                    i % 3 == 0 ? 0 : 1000, Event.STARTED, true, false, 0, Optional.empty()));
        }
        long after = usedAfterGc();
        System.out.printf("peers registered: %d over %d torrents%n", peers, torrents);
        System.out.printf("heap per peer: %.1f bytes (%.1f MiB for all)%n", (after - before) / (double) peers,
                (after - before) / 1048576.0);
        TrackedSwarm.Counts first = service.counts(hashes[0]);
        if (first.complete() + first.incomplete() == 0) {
            throw new IllegalStateException("nothing registered");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
