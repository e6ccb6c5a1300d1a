package simplebt.magnet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;

/**
 * Gets a torrent's info dictionary for a magnet link: asks up to {@link #PARALLEL} peers at once,
 * each for the whole dictionary, and takes the first copy whose SHA-1 is the info hash. A peer
 * that sends a bad piece, an oversized or changing size, or a reject is dropped and the others go
 * on; fetching everything from each peer (instead of mixing pieces) names the liar exactly, and
 * costs little: dictionaries are a few hundred KiB at most.
 */
public final class MetadataFetcher {
    static final int PARALLEL = 4;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 20_000;
    /** Peers tried per fetch; a tracker or link listing thousands cannot keep us busy forever. */
    static final int MAX_TRIED = 200;

    private final InfoHash infoHash;
    private final byte[] peerId;
    private final int listenPort;
    // guarded by lock; touched by the caller's thread and the peer threads
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<InetSocketAddress> waiting = new LinkedHashSet<>();
    private final Set<InetSocketAddress> tried = new LinkedHashSet<>();
    private int running;
    private final List<String> failures = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private volatile InetSocketAddress source; // the peer whose copy won; set once, before result completes

    public MetadataFetcher(InfoHash infoHash, byte[] peerId, int listenPort) {
        this.infoHash = infoHash;
        this.peerId = peerId.clone();
        this.listenPort = listenPort;
    }

    /** More candidates (from trackers, x.pe, PEX or the DHT); safe from any thread, duplicates ignored. */
    public void addPeers(Collection<InetSocketAddress> peers) {
        lock.lock();
        try {
            for (InetSocketAddress a : peers) {
                if (!tried.contains(a) && tried.size() + waiting.size() < MAX_TRIED) {
                    waiting.add(a);
                }
            }
        } finally {
            lock.unlock();
        }
        startMore();
    }

    /**
     * Waits for the verified info dictionary.
     * @throws IOException if no peer delivered it in time (the message says how many were tried)
     */
    public byte[] await(Duration timeout) throws IOException, InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lock.lock();
            String why;
            try {
                why = tried.isEmpty() ? "no peer found" : tried.size() + " peer(s) tried"
                        + (failures.isEmpty() ? "" : "; last: " + failures.get(failures.size() - 1));
            } finally {
                lock.unlock();
            }
            throw new IOException("could not get the torrent's metadata within " + timeout.toSeconds() + " s (" + why + ")");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            close();
        }
    }

    /** A peer that served the verified dictionary (it has the torrent and takes connections), once there is one. */
    public Optional<InetSocketAddress> source() {
        return Optional.ofNullable(source);
    }

    /** The verified dictionary once it is in; empty before, and after a fetch that failed or was closed. */
    public Optional<byte[]> done() {
        // not getNow: it throws once close() has failed the result, which killed the announcer
        // thread before it could say 'stopped'
        return result.state() == Future.State.SUCCESS ? Optional.of(result.resultNow()) : Optional.empty();
    }

    /** Stops every peer thread (their sockets are closed). */
    public void close() {
        result.completeExceptionally(new IOException("closed"));
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing only to wake the peer's thread
            }
        }
    }

    private void startMore() {
        while (true) {
            InetSocketAddress next;
            lock.lock();
            try {
                if (result.isDone() || running >= PARALLEL || waiting.isEmpty()) {
                    return;
                }
                next = waiting.iterator().next();
                waiting.remove(next);
                tried.add(next);
                running++;
            } finally {
                lock.unlock();
            }
            Thread.ofVirtual().name("metadata-" + MetadataPeer.describe(next)).start(() -> fetchFrom(next));
        }
    }

    private void fetchFrom(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            open.add(socket);
            if (result.isDone()) {
                return;
            }
            InetSocketAddress target = address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
            socket.connect(target, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            byte[] info = new MetadataPeer(infoHash, peerId, listenPort).fetch(socket);
            if (!result.isDone()) {
                source = address; // a later winner's address may land here too; any peer that served the whole copy will do
            }
            if (result.complete(info)) {
                Log.debug("metadata (" + info.length + " bytes) from " + MetadataPeer.describe(address));
            }
        } catch (IOException | RuntimeException e) {
            String line = MetadataPeer.describe(address) + ": " + e.getMessage();
            if (!result.isDone()) {
                Log.debug("metadata: dropped " + line);
            }
            lock.lock();
            try {
                failures.add(line);
                if (failures.size() > 20) {
                    failures.remove(0);
                }
            } finally {
                lock.unlock();
            }
        } finally {
            open.removeIf(s -> s.isClosed()); // the try above closed this one
            lock.lock();
            try {
                running--;
            } finally {
                lock.unlock();
            }
            startMore();
        }
    }
}
