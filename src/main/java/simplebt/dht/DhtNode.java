package simplebt.dht;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import simplebt.log.Log;

/**
 * A Mainline DHT node (BEP 5) on one UDP socket, shared by all torrents of the process. One
 * virtual thread reads the socket: it answers queries (rate limited) and completes the futures
 * of our own queries, matched by transaction id and source address. Lookups run on their
 * callers' threads; each tracked torrent has a virtual thread that looks up and announces it
 * every 15-30 minutes. A maintenance thread refreshes stale buckets and saves the table.
 */
public final class DhtNode implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 4096;

    private final DhtOptions options;
    private final DatagramSocket socket;
    private final RoutingTable table;
    private final QueryResponder responder;
    private final QueryRateLimit rateLimit;
    private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    private final PendingQueries pending;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final ExternalIp externalIp = new ExternalIp();
    private final java.util.concurrent.CountDownLatch joined = new java.util.concurrent.CountDownLatch(1); // first bootstrap over
    private final List<Thread> threads = new ArrayList<>(); // started in start(); the reader (first) is joined by close()

    private DhtNode(DhtOptions options, DatagramSocket socket, NodeId id, List<NodeInfo> saved) {
        this.options = options;
        this.socket = socket;
        this.table = new RoutingTable(id, System::currentTimeMillis);
        this.pending = new PendingQueries(options.queryTimeout());
        this.rateLimit = new QueryRateLimit(20, 500, 4096, System::currentTimeMillis);
        this.responder = new QueryResponder(table, new Tokens(System::currentTimeMillis),
                new PeerStore(200, 20_000, System::currentTimeMillis), random);
        saved.forEach(n -> table.seen(n, false));
    }

    /** Binds the UDP port (IOException when taken) and starts reading; then bootstraps in the background. */
    public static DhtNode start(DhtOptions options) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(options.bind(), options.port()));
        Optional<TableFile.Saved> saved = options.configDir() == null ? Optional.empty()
                : TableFile.load(options.configDir().resolve(TableFile.NAME));
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        NodeId id = saved.map(s -> s.ip() != null && !Bep42.valid(s.id(), s.ip()) ? Bep42.idFor(s.ip(), random) : s.id())
                .orElseGet(() -> NodeId.random(random));
        DhtNode node = new DhtNode(options, socket, id, saved.map(TableFile.Saved::nodes).orElse(List.of()));
        node.externalIp.set(saved.map(TableFile.Saved::ip).orElse(null));
        node.threads.add(Thread.ofVirtual().name("dht-reader").start(node::readLoop));
        node.threads.add(Thread.ofVirtual().name("dht-maintenance").start(node::maintain));
        return node;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public NodeId id() {
        return table.self();
    }

    public RoutingTable table() {
        return table;
    }

    /** Datagrams received and sent so far (any kind). */
    public long received() {
        return received.get();
    }

    public long sent() {
        return sent.get();
    }

    /** Asks the bootstrap nodes and then the network for the nodes closest to us. */
    public void bootstrap() throws InterruptedException {
        List<CompletableFuture<KrpcMessage.Response>> asked = new ArrayList<>();
        for (InetSocketAddress b : options.bootstrap()) {
            InetSocketAddress resolved = b.isUnresolved() ? new InetSocketAddress(b.getHostString(), b.getPort()) : b;
            if (resolved.isUnresolved()) {
                Log.debug("dht: cannot resolve bootstrap node " + b.getHostString());
                continue;
            }
            asked.add(query(resolved, t -> new KrpcMessage.FindNode(t, id(), id())));
        }
        List<NodeInfo> start = new ArrayList<>(startNodes(id()));
        for (CompletableFuture<KrpcMessage.Response> f : asked) {
            try {
                start.addAll(f.get().nodes()); // the routers' answers seed the lookup; they join the table when they answer us
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                Log.debug("dht: a bootstrap node did not answer: " + e.getMessage());
            }
        }
        run(new Lookup(id(), start), false, peers -> { });
    }

    /** An iterative find_node: the closest nodes to {@code target} that answered. */
    public List<NodeInfo> findNode(NodeId target) throws InterruptedException {
        return run(new Lookup(target, startNodes(target)), false, peers -> { }).closestAnswered().stream().map(Lookup.Answered::node).toList();
    }

    /** An iterative get_peers; with {@code announce} it then announces us on {@code announcePort} (0 = implied port) to the closest 8. */
    public List<InetSocketAddress> getPeers(NodeId infoHash, int announcePort, boolean announce) throws InterruptedException {
        return lookupPeers(infoHash, announcePort, announce).peers();
    }

    private Lookup lookupPeers(NodeId infoHash, int announcePort, boolean announce) throws InterruptedException {
        return lookupPeers(infoHash, announcePort, announce, peers -> { });
    }

    /** @param early gets each answer's peers as it comes, before the lookup is over */
    private Lookup lookupPeers(NodeId infoHash, int announcePort, boolean announce, Consumer<List<InetSocketAddress>> early)
            throws InterruptedException {
        Lookup lookup = run(new Lookup(infoHash, startNodes(infoHash)), true, early);
        if (announce) {
            for (Lookup.Answered a : lookup.closestAnswered()) {
                if (a.token() != null) {
                    query(a.node().address(), t -> new KrpcMessage.AnnouncePeer(t, id(), infoHash, announcePort, announcePort == 0, a.token()));
                }
            }
        }
        return lookup;
    }

    /**
     * Finds peers for a torrent now and then every 15-30 minutes, announcing us on
     * {@code peerPort} when {@code announce}; peers found go to {@code found}. Close the handle
     * to stop. Private torrents (BEP 27) must never get here: the caller checks.
     */
    public AutoCloseable track(NodeId infoHash, int peerPort, boolean announce, Consumer<List<InetSocketAddress>> found) {
        return follow(infoHash, peerPort, announce, null, found);
    }

    /**
     * Looks for a torrent's peers without announcing us, again every {@code every} (peers may
     * announce later) until the handle is closed: a magnet link's metadata fetch, which has no
     * torrent to serve yet and must not be listed as a peer.
     */
    public AutoCloseable search(NodeId infoHash, Duration every, Consumer<List<InetSocketAddress>> found) {
        return follow(infoHash, 0, false, every, found);
    }

    /** @param every null: the tracking schedule (15-30 min, sooner while nothing is found); else this fixed pause */
    private AutoCloseable follow(NodeId infoHash, int peerPort, boolean announce, Duration every,
                                 Consumer<List<InetSocketAddress>> found) {
        Thread t = Thread.ofVirtual().name("dht-torrent-" + infoHash.hex().substring(0, 8)).start(() -> {
            try {
                // a lookup on an empty table finds nothing: wait (a little) for the first bootstrap
                joined.await(options.queryTimeout().toMillis() * 10, TimeUnit.MILLISECONDS);
                while (!closed.get()) {
                    // peers go to `found` as each node answers: a lookup that waits on a dead node
                    // (a query timeout each) must not hold back the peers the live ones named
                    Lookup lookup = lookupPeers(infoHash, peerPort, announce, found);
                    List<InetSocketAddress> peers = lookup.peers();
                    Log.debug("dht: " + peers.size() + " peers for " + infoHash.hex() + " from " + lookup.asked() + " nodes asked"
                            + (announce ? ", announced to " + lookup.closestAnswered().size() : ""));
                    long base = options.announceInterval().toMillis();
                    long retry = options.retryInterval().toMillis();
                    // nobody answered (young table, network down): soon again; no peers yet: within 5 retries;
                    // else 15-30 min (20 min +-25%) so that many torrents do not announce in step
                    long wait = every != null ? every.toMillis() : lookup.closestAnswered().isEmpty() ? retry
                            : peers.isEmpty() ? Math.min(5 * retry, base) : base * 3 / 4 + random.nextLong(base / 2 + 1);
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                Log.warn("dht: tracking " + infoHash.hex() + " stopped: " + e);
            }
        });
        return t::interrupt;
    }

    private List<NodeInfo> startNodes(NodeId target) {
        return table.closest(target, RoutingTable.K * 2);
    }

    private Lookup run(Lookup lookup, boolean getPeers, Consumer<List<InetSocketAddress>> early) throws InterruptedException {
        BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
        int inFlight = 0;
        long deadline = System.nanoTime() + options.queryTimeout().toNanos() * 20; // a lookup never runs away
        while (!closed.get() && System.nanoTime() < deadline) {
            for (NodeInfo n : lookup.next(Lookup.ALPHA - inFlight)) {
                inFlight++;
                query(n.address(), t -> getPeers ? new KrpcMessage.GetPeers(t, id(), lookup.target())
                        : new KrpcMessage.FindNode(t, id(), lookup.target()))
                        .whenComplete((r, e) -> events.add(() -> {
                            if (r != null) {
                                lookup.answered(n, r.nodes(), r.values(), r.token());
                                if (!r.values().isEmpty()) {
                                    early.accept(r.values());
                                }
                            } else {
                                lookup.failed(n);
                            }
                        }));
            }
            if (inFlight == 0 || lookup.done() && !lookup.anyLeftToAsk() && inFlight == 0) {
                break;
            }
            Runnable event = events.poll(options.queryTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            if (event == null) {
                break;
            }
            event.run();
            inFlight--;
            if (lookup.done()) {
                break;
            }
        }
        return lookup;
    }

    /** Sends a query; the future completes with the response, or exceptionally on error reply or time-out. */
    CompletableFuture<KrpcMessage.Response> query(InetSocketAddress to, java.util.function.Function<byte[], KrpcMessage.Query> make) {
        PendingQueries.Sent query = pending.add(to);
        if (!send(make.apply(query.t()), to)) {
            query.reply().completeExceptionally(new IOException("not sent"));
        }
        return query.reply();
    }

    private boolean send(KrpcMessage m, InetSocketAddress to) {
        byte[] bytes = KrpcCodec.encode(m);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
            sent.incrementAndGet();
            return true;
        } catch (IOException e) {
            Log.debug("dht: cannot send to " + to + ": " + e.getMessage());
            return false;
        }
    }

    private void readLoop() {
        byte[] buffer = new byte[RECEIVE_BUFFER];
        while (!closed.get()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                Log.debug("dht: receive failed: " + e.getMessage());
                continue;
            }
            received.incrementAndGet();
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            try {
                handle(KrpcCodec.decode(packet.getData(), packet.getLength()), from);
            } catch (KrpcException e) {
                if (e.t() != null && rateLimit.allow(from.getAddress())) {
                    send(e.reply(), from);
                }
            } catch (RuntimeException e) {
                // never let one datagram stop the node
                Log.debug("dht: datagram from " + from + " failed: " + e, e);
            }
        }
    }

    private void handle(KrpcMessage m, InetSocketAddress from) {
        switch (m) {
            case KrpcMessage.Query q -> {
                if (!rateLimit.allow(from.getAddress())) {
                    return;
                }
                send(responder.answer(q, from), from);
                table.seen(new NodeInfo(q.id(), from), false).ifPresent(this::ping);
            }
            case KrpcMessage.Response r -> {
                CompletableFuture<KrpcMessage.Response> reply = pending.match(r.t(), from);
                if (reply != null) {
                    table.seen(new NodeInfo(r.id(), from), true).ifPresent(this::ping);
                    if (r.ip() != null) {
                        externalIp.vote(r.ip().getAddress(), from.getAddress());
                    }
                    reply.complete(r);
                }
            }
            case KrpcMessage.Error e -> {
                CompletableFuture<KrpcMessage.Response> reply = pending.match(e.t(), from);
                if (reply != null) {
                    reply.completeExceptionally(new IOException("error " + e.code() + " " + e.message()));
                }
            }
        }
    }

    private void ping(NodeInfo n) {
        query(n.address(), t -> new KrpcMessage.Ping(t, id())).whenComplete((r, e) -> {
            if (e != null) {
                table.failed(n.id());
            }
        });
    }

    private void maintain() {
        try {
            bootstrap();
            joined.countDown();
            save(); // a table worth keeping even if the process is killed before the next save
            long lastSave = System.nanoTime();
            while (!closed.get()) {
                Thread.sleep(Duration.ofSeconds(table.size() < RoutingTable.K ? 10 : 60));
                if (table.size() == 0) {
                    bootstrap();
                }
                for (NodeId target : table.refreshTargets(random)) {
                    findNode(target);
                }
                if (System.nanoTime() - lastSave > Duration.ofMinutes(5).toNanos()) {
                    save();
                    lastSave = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.warn("dht: maintenance stopped: " + e);
        }
    }

    /** Writes the table to the config dir (if one was given); failures are a debug line, not fatal. */
    public void save() {
        if (options.configDir() == null) {
            return;
        }
        Path file = options.configDir().resolve(TableFile.NAME);
        try {
            TableFile.save(file, id(), table.all(), externalIp.get());
        } catch (IOException e) {
            Log.debug("dht: cannot save " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        threads.forEach(Thread::interrupt);
        save();
        socket.close();
        pending.cancelAll();
        awaitReader();
    }

    /**
     * The JDK defers a datagram socket's real close until the thread blocked in its receive has
     * left it, so the port stayed bound for as long as our reader took to be scheduled (2 closes in
     * 200 on an idle machine; under load a test that rebinds the port failed). Waiting for the
     * reader makes the port free when close returns.
     */
    private void awaitReader() {
        Thread reader = threads.isEmpty() ? null : threads.get(0);
        if (reader == null || reader == Thread.currentThread()) {
            return;
        }
        try {
            reader.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
