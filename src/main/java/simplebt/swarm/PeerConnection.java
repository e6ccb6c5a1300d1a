package simplebt.swarm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

import simplebt.log.Log;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.WireException;

/**
 * One peer. Its reader runs on the thread that calls {@link #run()} (see {@link PeerThreads}):
 * handshake, then read, decode, apply, until the peer goes or we close. Sending goes through a
 * {@link PeerWriter} on a second thread, so a slow write never blocks reading (two peers
 * uploading to each other cannot deadlock). Which blocks we ask for and how many is the
 * {@link RequestPipeline}'s business; BEP 10 extended messages (metadata, peer exchange) are
 * {@link PeerExtensions}'.
 *
 * <p>Who owns what (the lock order is in {@link Swarm}):
 * <ul>
 *   <li>reader thread writes: {@code remotePeerId}, {@code peerChoking}, {@code peerInterested}
 *       (volatile; others read them);</li>
 *   <li>{@code flags} guards writes of {@code amChoking} and {@code amInterested} together with
 *       queuing the message that announces them, so the wire says what the flags say (the choker,
 *       the reader, the ticker and the verifier all change them; reads are volatile);</li>
 *   <li>{@code peerHas} ({@link PeerPieces}) and {@code pipeline} ({@link RequestPipeline})
 *       guard themselves;</li>
 *   <li>the ticker thread writes {@code rateToUs}, {@code rateFromUs}, {@code lastUsefulNanos}
 *       (volatile; the choker and the registry read them); {@code windowToUs} and
 *       {@code windowFromUs} are the ticker's alone (the choker runs on it);</li>
 *   <li>the registry writes {@code listenAddress} under its admission lock (volatile);</li>
 *   <li>{@code unrequested} is the reader thread's alone;</li>
 *   <li>{@code closed} is set once by whichever thread closes first.</li>
 * </ul>
 */
final class PeerConnection {
    /** Unrequested blocks a peer may send before it is dropped: a few, for a buggy but honest peer. */
    static final int MAX_UNREQUESTED = 4;

    private final Swarm swarm;
    private final PeerStreams streams;
    private final int id;
    private final boolean outgoing;
    private final Optional<InetSocketAddress> dialed;
    /**
     * Where this peer accepts connections, when known: the address we dialed, or, for a peer
     * that dialed us, the address of our own dial to it that was refused as a duplicate. The
     * dialer skips it, so it does not redial a peer it is already connected to every second.
     */
    private volatile Optional<InetSocketAddress> listenAddress;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final PeerWriter writer;
    private final RequestPipeline pipeline = new RequestPipeline(System.nanoTime());
    private final PeerPieces peerHas;
    /** Asks the picker for blocks this peer has, within its share of started pieces (one object, not one per refill). */
    private final IntFunction<List<Block>> pick;
    private final ReentrantLock flags = new ReentrantLock();
    /** Bytes since the ticker's last look: added by the reader (down) and writer (up). */
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final long connectedNanos = System.nanoTime();
    private volatile boolean amChoking = true;
    private volatile boolean amInterested;
    private volatile boolean peerChoking = true;
    private volatile boolean peerInterested;
    private volatile byte[] remotePeerId;
    private volatile double rateToUs;
    private volatile double rateFromUs;
    /** What the choker ranks by: 20 s windows, fed and read by the ticker thread alone. */
    private final RollingRate windowToUs = new RollingRate();
    private final RollingRate windowFromUs = new RollingRate();
    /** When a block last moved either way (set by the ticker); for {@link Eviction}. */
    private volatile long lastUsefulNanos = connectedNanos;
    private volatile boolean stalled;
    /** Who it is, for the blocks it sends (set once by the reader after the handshake). */
    private volatile HashFailures.Sender sender;
    /** Both sides set the BEP 6 fast bit; written once by the reader before the writer starts. */
    private volatile boolean fast;
    /** Blocks it sent that we never asked for; the reader thread's alone. */
    private int unrequested;
    /** BEP 10 extended messages (ut_metadata, ut_pex); documents its own owners. */
    private final PeerExtensions extensions;

    PeerConnection(Swarm swarm, PeerStreams streams, int id, boolean outgoing, Optional<InetSocketAddress> dialed) {
        this.swarm = swarm;
        this.streams = streams;
        this.id = id;
        this.outgoing = outgoing;
        this.dialed = dialed;
        this.listenAddress = dialed;
        this.in = new DataInputStream(streams.in());
        this.out = new DataOutputStream(streams.out());
        this.peerHas = new PeerPieces(swarm.picker(), swarm.shape().pieceCount());
        this.pick = want -> peerHas.pick(id, want, swarm.startedShare());
        this.writer = new PeerWriter(out, swarm, this);
        this.extensions = new PeerExtensions(swarm, writer, pipeline, remote(), this::close);
    }

    int id() {
        return id;
    }

    String remote() {
        return streams.remote();
    }

    /** We dialed it (else it dialed us). */
    boolean outgoing() {
        return outgoing;
    }

    Optional<InetSocketAddress> dialed() {
        return dialed;
    }

    Optional<InetSocketAddress> listenAddress() {
        return listenAddress;
    }

    void setListenAddress(InetSocketAddress address) {
        listenAddress = Optional.of(address);
    }

    Optional<byte[]> remotePeerId() {
        return Optional.ofNullable(remotePeerId).map(byte[]::clone);
    }

    /** The BEP 3 handshake went through (it may have been refused afterwards). */
    boolean handshaken() {
        return remotePeerId != null;
    }

    boolean samePeerAs(PeerConnection other) {
        return remotePeerId != null && Arrays.equals(remotePeerId, other.remotePeerId);
    }

    /** Is this the banned sender: the same peer id, or the same IP address. */
    boolean isSender(HashFailures.Sender s) {
        boolean sameId = remotePeerId != null && HashFailures.key(remotePeerId).equals(s.key());
        return sameId || streams.address().getAddress().equals(s.address());
    }

    /** The IP address it connects from (or we dialed). */
    java.net.InetAddress address() {
        return streams.address().getAddress();
    }

    boolean amChoking() {
        return amChoking;
    }

    Eviction.Candidate evictionCandidate() {
        return new Eviction.Candidate(id, connectedNanos, lastUsefulNanos, snubbed(), amInterested, peerInterested);
    }

    Choker.Candidate chokerCandidate(long now) {
        boolean fresh = now - connectedNanos < TimeUnit.SECONDS.toNanos(Choker.FRESH_SECONDS);
        return new Choker.Candidate(id, peerInterested, windowToUs.rate(), windowFromUs.rate(), fresh, windowToUs.sentLately());
    }

    /** We are interested and the peer lets us ask: a peer we download from. */
    boolean downloadingFrom() {
        return amInterested && !peerChoking;
    }

    void run() {
        try {
            handshake();
            if (!swarm.peers().admit(this)) {
                return;
            }
            writer.start("peer-writer-" + id);
            greet();
            readLoop();
        } catch (EOFException | SocketException e) {
            Log.debug(remote() + " closed: " + e.getMessage());
        } catch (WireException e) {
            Log.debug(remote() + " protocol error: " + e.getMessage());
        } catch (IOException e) {
            Log.debug(remote() + " I/O error: " + e);
        } catch (RuntimeException e) {
            Log.debug(remote() + " failed", e);
        } finally {
            close();
            cleanup();
        }
    }

    private void handshake() throws IOException {
        Handshake theirs = PeerHandshake.exchange(swarm, in, out, outgoing, dialed, remote());
        sender = new HashFailures.Sender(HashFailures.key(theirs.peerId()), address());
        remotePeerId = theirs.peerId();
        fast = theirs.supportsFast(); // we always set the bit, so theirs decides
        extensions.greet(theirs);
    }

    private void greet() {
        Bitfield have = swarm.picker().have();
        if (fast) {
            Log.debug(remote() + ": fast extension on, sent " + (have.isComplete() ? "have all" : have.count() == 0 ? "have none" : "bitfield"));
            writer.send(FastExtension.firstMessage(have));
        } else if (have.count() > 0) {
            writer.send(new Message.Bitfield(have.toBytes()));
        }
    }

    private void readLoop() throws IOException {
        byte[] scratch = new byte[Message.MAX_BLOCK];
        IntFunction<byte[]> blocks = n -> n == scratch.length ? scratch : new byte[n];
        MessageCodec codec = swarm.codec();
        // On a virtual thread a yield re-queues the reader as a new task on the carrier pool
        // (a JFR profile of a seeder showed that as its largest allocation); the woken writer
        // is already queued for a carrier, so only platform threads yield.
        boolean yieldToWriter = !Thread.currentThread().isVirtual();
        while (!closed.get()) {
            handle(codec.read(in, blocks));
            if (writer.takeWoken() && yieldToWriter) {
                Thread.yield(); // let the writer we just woke run now (see PeerWriter.takeWoken)
            }
        }
    }

    private void handle(Message m) throws IOException {
        switch (m) {
            case Message.KeepAlive k -> { }
            case Message.Choke c -> {
                peerChoking = true;
                if (!fast) {
                    swarm.picker().release(id, pipeline.clear()); // BEP 3: a choke discards our pending requests
                } // BEP 6: it rejects each one instead (or they time out)
            }
            case Message.Unchoke u -> {
                peerChoking = false;
                refill();
            }
            case Message.Interested i -> {
                peerInterested = true;
                swarm.peerInterested(this);
            }
            case Message.NotInterested n -> peerInterested = false;
            case Message.Have h -> onHave(h.index());
            case Message.Bitfield b -> onBitfield(Bitfield.fromBytes(b.bits(), peerHas.size()));
            case Message.Request r -> onRequest(r);
            case Message.Piece p -> onPiece(p);
            case Message.Cancel c -> {
                if (writer.cancelServe(c.index(), c.begin(), c.length()) && fast) {
                    writer.send(new Message.Reject(c.index(), c.begin(), c.length())); // BEP 6: one answer per request
                }
            }
            case Message.Extended e -> extensions.received(e);
            case Message.HaveAll a -> {
                FastExtension.require(fast, "have all");
                onBitfield(Bitfield.full(peerHas.size()));
            }
            case Message.HaveNone n -> FastExtension.require(fast, "have none");
            case Message.Reject r -> onReject(r);
            case Message.Suggest g -> FastExtension.require(fast, "suggest"); // advisory; our picker goes rarest first
            case Message.AllowedFast f -> FastExtension.require(fast, "allowed fast"); // we only ask unchoked peers
            case Message.Unknown u -> Log.debug(remote() + " sent unknown message id " + u.id() + ", skipped");
        }
    }

    private void onHave(int piece) {
        peerHas.add(piece);
        if (!amInterested && swarm.picker().wants(piece)) {
            setInterested(true);
        }
        afterPeerHasChanged();
    }

    private void onBitfield(Bitfield bits) {
        peerHas.addAll(bits);
        if (!amInterested && swarm.picker().wantsAnyOf(bits)) {
            setInterested(true);
        }
        afterPeerHasChanged();
    }

    private void afterPeerHasChanged() {
        if (peerIsSeed() && swarm.picker().isComplete()) {
            Log.debug(remote() + ": both sides are seeds, closing");
            close();
            return;
        }
        refill();
    }

    private void onRequest(Message.Request r) {
        boolean refused = amChoking || !swarm.picker().has(r.index());
        if (refused && !fast) {
            return; // BEP 3: requests while choked are dropped; so are requests for pieces we lack
        }
        boolean queued = refused ? writer.reject(r.index(), r.begin(), r.length()) // BEP 6: rejected instead
                : writer.serve(r.index(), r.begin(), r.length());
        if (!queued) {
            // More unanswered requests (blocks or rejects) than the reqq we advertised (BEP 10): a flood, not a peer.
            Log.debug(remote() + " has over " + PeerWriter.MAX_SERVE_QUEUE + " requests unanswered, closing");
            close();
        }
    }

    /** BEP 6: the peer will not send a block we asked for; it goes back to the picker for others. */
    private void onReject(Message.Reject r) throws WireException {
        FastExtension.require(fast, "reject");
        Block block = new Block(r.index(), r.begin(), r.length());
        RequestPipeline.Delivery d = pipeline.rejected(block);
        if (d == RequestPipeline.Delivery.UNREQUESTED) {
            throw new WireException("reject for a block we never requested (piece " + r.index() + ", offset " + r.begin() + ")");
        }
        if (d == RequestPipeline.Delivery.REQUESTED) {
            swarm.picker().release(id, List.of(block));
        }
        refill();
    }

    private void onPiece(Message.Piece p) {
        int length = p.block().length;
        if (pipeline.delivered(p.index(), p.begin(), length, System.nanoTime()) == RequestPipeline.Delivery.UNREQUESTED) {
            onUnrequested(new Block(p.index(), p.begin(), length));
            return;
        }
        downloaded.addAndGet(length);
        swarm.countDownloaded(length);
        if (!swarm.limits().download().pace(length)) { // --max-download-rate: TCP slows the sender meanwhile
            close();
            return;
        }
        PiecePicker.Received r = swarm.picker().blockReceived(id, p.index(), p.begin());
        if (r.wanted()) {
            if (!r.cancelAt().isEmpty()) {
                Block block = new Block(p.index(), p.begin(), length);
                r.cancelAt().forEach(other -> swarm.cancel(other, block));
            }
            swarm.verifier().blockArrived(p.index(), p.begin(), p.block(), length, sender);
        }
        refill();
    }

    /**
     * A block we never asked this peer for, or not with this length: dropped, and not counted
     * (it must not earn a rate, nor spoil a started piece: 14 bytes of a 1-byte block would cost
     * a whole piece its hash). {@value #MAX_UNREQUESTED} of them and the peer is dropped.
     */
    private void onUnrequested(Block block) {
        unrequested++;
        Log.debug(remote() + " sent a block nobody asked it for (piece " + block.piece() + ", offset " + block.offset()
                + ", " + block.length() + " bytes); dropped");
        if (unrequested >= MAX_UNREQUESTED) {
            Log.debug(remote() + ": " + unrequested + " unrequested blocks, closing");
            close();
        }
    }

    /**
     * BEP 11: where other peers can reach this one - the address we dialed, or its IP with the
     * port from its extension handshake; empty for a peer that dialed us and named no port.
     */
    Optional<InetSocketAddress> reachableAt() {
        return listenAddress.or(() -> extensions.theirPort().map(p -> new InetSocketAddress(address(), p)));
    }

    /** Session ticker: sends this peer what changed in our peer list, when a message is due. */
    void exchangePeers(java.util.Map<InetSocketAddress, Integer> current, long now) {
        extensions.exchangePeers(current, reachableAt(), now);
    }

    /** Tops up the request pipeline from the picker; called after anything that may free a slot. */
    void refill() {
        refill(true);
    }

    /**
     * As {@link #refill()}, but the requests only go into the writer's queue: for threads that
     * must not block on this peer's socket (the piece verifier, which frees picker slots).
     */
    void refillQueued() {
        refill(false);
    }

    private void refill(boolean direct) {
        if (closed.get() || !amInterested) {
            return;
        }
        if (peerChoking) {
            // BEP 3: interest says whether it has something we want, choked or not. Without this we
            // stayed interested in a choking peer whose pieces we had all got from others.
            if (!peerHas.wanted()) {
                setInterested(false);
            }
            return;
        }
        List<Block> picked = pipeline.refill(pick, System.nanoTime());
        try {
            if (direct) {
                writer.requestNow(picked);
            } else {
                picked.forEach(b -> writer.send(new Message.Request(b.piece(), b.offset(), b.length())));
            }
        } catch (IOException e) {
            Log.debug(remote() + " write failed: " + e);
            close();
            return;
        }
        if (picked.isEmpty() && pipeline.size() == 0 && !peerHas.wanted()) {
            setInterested(false);
        }
    }

    void setInterested(boolean on) {
        flags.lock();
        try {
            if (amInterested != on && !closed.get()) {
                amInterested = on;
                writer.send(on ? new Message.Interested() : new Message.NotInterested());
            }
        } finally {
            flags.unlock();
        }
    }

    void setChoking(boolean on) {
        flags.lock();
        try {
            if (amChoking != on && !closed.get()) {
                amChoking = on;
                List<Message> rejects = on ? writer.dropServes() : List.of();
                writer.send(on ? new Message.Choke() : new Message.Unchoke());
                if (fast) {
                    rejects.forEach(writer::send); // BEP 6: a choke no longer drops requests silently
                }
            }
        } finally {
            flags.unlock();
        }
    }

    /** Tells the peer we have a piece: at once, unless it is a seed and can hear it with our next write. */
    void sendHave(int piece) {
        if (remotePeerId != null && !closed.get()) {
            if (peerIsSeed()) {
                writer.sendLazy(new Message.Have(piece));
            } else {
                writer.send(new Message.Have(piece));
            }
        }
    }

    /** End-game: someone else delivered this block first. */
    void cancel(Block block) {
        if (pipeline.cancel(block)) {
            swarm.picker().release(id, List.of(block));
            writer.send(new Message.Cancel(block.piece(), block.offset(), block.length()));
        }
    }

    /**
     * The ticker's once-a-second look: rates from the bytes moved since the last tick, the
     * pipeline sized to the new rate, and requests unanswered for {@code requestTimeoutNanos}
     * cancelled and given to others (the peer is snubbed and gets one request at a time until it
     * delivers; {@value RequestPipeline#MAX_TIMEOUTS} timeouts in a row and it is dropped).
     */
    void tick(long now, long requestTimeoutNanos) {
        long in = downloaded.getAndSet(0);
        long out = uploaded.getAndSet(0);
        if (in > 0 || out > 0) {
            lastUsefulNanos = now;
        }
        rateToUs = Rates.update(rateToUs, in);
        rateFromUs = Rates.update(rateFromUs, out);
        windowToUs.add(in);
        windowFromUs.add(out);
        pipeline.measuredRate(rateToUs);
        writer.flushLazy();
        List<Block> timedOut = pipeline.timeOutIfDue(now, requestTimeoutNanos);
        if (!timedOut.isEmpty()) {
            Log.debug(remote() + ": no block for " + TimeUnit.NANOSECONDS.toSeconds(requestTimeoutNanos)
                    + " s, snubbed; its requests go elsewhere");
            swarm.picker().release(id, timedOut);
            timedOut.forEach(b -> writer.send(new Message.Cancel(b.piece(), b.offset(), b.length())));
            if (pipeline.stalled()) {
                Log.debug(remote() + ": " + RequestPipeline.MAX_TIMEOUTS + " request timeouts in a row, closing");
                stalled = true;
                close(); // also unblocks a reader stuck mid-frame and a writer stuck on a peer that stopped reading
            }
        }
        refill();
    }

    double rateToUs() {
        return rateToUs;
    }

    double rateFromUs() {
        return rateFromUs;
    }

    /** Counts a block we sent (the writer thread). */
    void countUploaded(int n) {
        uploaded.addAndGet(n);
        swarm.countUploaded(n);
    }

    /** Let our requests time out since it last sent a block. */
    boolean snubbed() {
        return pipeline.snubbed();
    }

    /** Was closed for stalling: the dialer treats that like a failed dial (growing back-off). */
    boolean droppedForStalling() {
        return stalled;
    }

    boolean peerIsSeed() {
        return peerHas.isComplete();
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.stop();
        try {
            streams.closer().close();
        } catch (IOException e) {
            Log.debug("closing " + remote() + ": " + e);
        }
    }

    private void cleanup() {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peerHas.gone(id, pipeline.clear());
        swarm.peers().remove(this);
        if (!amChoking) {
            swarm.unchokedPeerLeft();
        }
    }

    /** What a menu shows of this peer (rates as the last tick measured them). */
    PeerSummary summary() {
        return new PeerSummary(streams.address(), PeerSummary.client(remotePeerId()), outgoing, peerIsSeed(), rateToUs, rateFromUs);
    }

    /** One line for the debug log. */
    String describe() {
        return String.format(Locale.ROOT, "%s: pipeline %d, in flight %d, outbox %d, down %.1f MiB/s, up %.1f MiB/s%s%s",
                remote(), pipeline.limit(), pipeline.size(), writer.queued(), rateToUs / (1 << 20), rateFromUs / (1 << 20),
                peerChoking ? ", choked by peer" : "", amChoking ? "" : ", unchoked by us");
    }
}
