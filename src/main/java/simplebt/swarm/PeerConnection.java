package simplebt.swarm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

import simplebt.log.Log;
import simplebt.wire.ExtensionHandshake;
import simplebt.wire.Handshake;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;
import simplebt.wire.WireException;

/**
 * One peer. Its reader runs on the thread that calls {@link #run()} (see {@link PeerThreads}):
 * handshake, then read, decode, apply, until the peer goes or we close. Sending goes through a
 * {@link PeerWriter} on a second thread, so a slow write never blocks reading (two peers
 * uploading to each other cannot deadlock). The request pipeline starts at
 * {@value #INITIAL_PIPELINE} and grows by one per block delivered, up to the peer's {@code reqq}.
 */
final class PeerConnection {
    static final int INITIAL_PIPELINE = 16;
    static final int DEFAULT_PEER_QUEUE = 250;
    static final int MAX_PIPELINE = 500;
    static final int MAX_TIMEOUTS = 3;

    private final Swarm swarm;
    private final PeerStreams streams;
    final int id;
    final boolean outgoing;
    final Optional<InetSocketAddress> dialed;
    /**
     * Where this peer accepts connections, when known: the address we dialed, or, for a peer
     * that dialed us, the address of our own dial to it that was refused as a duplicate. The
     * dialer skips it, so it does not redial a peer it is already connected to every second.
     */
    volatile Optional<InetSocketAddress> listenAddress;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final PeerWriter writer;
    private final ReentrantLock state = new ReentrantLock();
    private final Bitfield peerHas;
    private final LinkedHashSet<Block> outstanding = new LinkedHashSet<>();
    final AtomicLong downloaded = new AtomicLong();
    final AtomicLong uploaded = new AtomicLong();
    volatile boolean amChoking = true;
    volatile boolean amInterested;
    volatile boolean peerChoking = true;
    volatile boolean peerInterested;
    volatile boolean handshaken;
    volatile byte[] remotePeerId;
    volatile double rateToUs;
    volatile double rateFromUs;
    volatile long lastBlockNanos = System.nanoTime();
    final long connectedNanos = System.nanoTime();
    /** When a block last moved either way (set by the session's ticker); for {@link Eviction}. */
    volatile long lastUsefulNanos = connectedNanos;
    private volatile boolean closed;
    private volatile int pipeline = INITIAL_PIPELINE;
    private volatile int peerQueue = DEFAULT_PEER_QUEUE;
    private volatile int timeouts;
    private volatile boolean stalled;

    PeerConnection(Swarm swarm, PeerStreams streams, int id, boolean outgoing, Optional<InetSocketAddress> dialed) {
        this.swarm = swarm;
        this.streams = streams;
        this.id = id;
        this.outgoing = outgoing;
        this.dialed = dialed;
        this.listenAddress = dialed;
        this.in = new DataInputStream(streams.in());
        this.out = new DataOutputStream(streams.out());
        this.peerHas = new Bitfield(swarm.shape().pieceCount());
        this.writer = new PeerWriter(out, swarm, this);
    }

    String remote() {
        return streams.remote();
    }

    void run() {
        try {
            handshake();
            if (!swarm.register(this)) {
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
        Handshake ours = Handshake.ours(swarm.infoHash(), swarm.peerId());
        if (outgoing) {
            ours.write(out);
            out.flush();
        }
        Handshake theirs = Handshake.read(in);
        if (!theirs.infoHash().equals(swarm.infoHash())) {
            throw new WireException("handshake for another torrent " + theirs.infoHash().hex());
        }
        if (java.util.Arrays.equals(theirs.peerId(), swarm.peerId())) {
            dialed.ifPresent(swarm::markSelf);
            throw new WireException("connected to ourselves");
        }
        if (!outgoing) {
            ours.write(out);
            out.flush();
        }
        remotePeerId = theirs.peerId();
        handshaken = true;
        if (theirs.supportsExtensions()) {
            // BEP 10: advertise our listen port and how many requests we queue
            ExtensionHandshake ext = new ExtensionHandshake(Map.of(), Optional.of("SimpleBT 0.1"),
                    Optional.of(swarm.listenPort()), Optional.of(PeerWriter.MAX_SERVE_QUEUE));
            writer.send(new Message.Extended(0, ext.encode()));
        }
        Log.debug("handshake with " + remote() + " (" + Handshake.describePeerId(theirs.peerId()) + ")");
    }

    private void greet() {
        Bitfield have = swarm.picker().have();
        if (have.count() > 0) {
            writer.send(new Message.Bitfield(have.toBytes()));
        }
    }

    private void readLoop() throws IOException {
        byte[] scratch = new byte[Message.MAX_BLOCK];
        IntFunction<byte[]> blocks = n -> n == scratch.length ? scratch : new byte[n];
        MessageCodec codec = swarm.codec();
        while (!closed) {
            handle(codec.read(in, blocks));
            if (writer.takeWoken()) {
                Thread.yield(); // let the writer we just woke run now (see PeerWriter.takeWoken)
            }
        }
    }

    private void handle(Message m) throws IOException {
        switch (m) {
            case Message.KeepAlive k -> { }
            case Message.Choke c -> {
                peerChoking = true;
                releaseOutstanding(); // BEP 3: a choke discards our pending requests
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
            case Message.Cancel c -> writer.cancelServe(c.index(), c.begin(), c.length());
            case Message.Extended e -> onExtended(e);
            case Message.Unknown u -> Log.debug(remote() + " sent unknown message id " + u.id() + ", skipped");
        }
    }

    private void onHave(int piece) {
        state.lock();
        try {
            if (peerHas.set(piece)) {
                swarm.picker().peerHas(piece);
            }
        } finally {
            state.unlock();
        }
        if (!amInterested && !swarm.picker().has(piece)) {
            setInterested(true);
        }
        afterPeerHasChanged();
    }

    /**
     * BEP 3 allows the bitfield only first, but aria2 may send it again later; a repeat is
     * merged (bits are never taken away), which keeps the picker's availability counts exact.
     */
    private void onBitfield(Bitfield bits) {
        state.lock();
        try {
            for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
                if (peerHas.set(i)) {
                    swarm.picker().peerHas(i);
                }
            }
        } finally {
            state.unlock();
        }
        if (!amInterested && swarm.picker().wantsAnyOf(bits)) {
            setInterested(true);
        }
        afterPeerHasChanged();
    }

    private void afterPeerHasChanged() {
        if (peerHas.isComplete() && swarm.picker().isComplete()) {
            Log.debug(remote() + ": both sides are seeds, closing");
            close();
            return;
        }
        refill();
    }

    private void onRequest(Message.Request r) {
        // BEP 3: requests while choked are dropped; so are requests for pieces we lack.
        if (!amChoking && swarm.picker().has(r.index()) && !writer.serve(r.index(), r.begin(), r.length())) {
            // More unanswered requests than the reqq we advertised (BEP 10): a flood, not a peer.
            Log.debug(remote() + " has over " + PeerWriter.MAX_SERVE_QUEUE + " requests queued, closing");
            close();
        }
    }

    private void onPiece(Message.Piece p) throws IOException {
        int length = p.block().length;
        Block block = new Block(p.index(), p.begin(), length);
        boolean requested;
        state.lock();
        try {
            requested = outstanding.remove(block);
        } finally {
            state.unlock();
        }
        downloaded.addAndGet(length);
        swarm.countDownloaded(length);
        lastBlockNanos = System.nanoTime();
        timeouts = 0;
        if (requested && pipeline < Math.min(peerQueue, MAX_PIPELINE)) {
            pipeline++; // slow start: one more request in flight per block delivered
        }
        PiecePicker.Received r = swarm.picker().blockReceived(id, p.index(), p.begin());
        if (r.wanted()) {
            swarm.buffers().put(p.index(), p.begin(), p.block(), length, id);
            r.cancelAt().forEach(other -> swarm.cancel(other, block));
            if (swarm.picker().blockWritten(p.index(), p.begin())) {
                swarm.pieceComplete(p.index());
            }
        }
        refill();
    }

    private void onExtended(Message.Extended e) throws WireException {
        if (e.extendedId() == 0) {
            ExtensionHandshake ext = ExtensionHandshake.decode(e.payload());
            ext.requestQueue().ifPresent(q -> peerQueue = Math.max(1, q));
            Log.debug(remote() + " extension handshake: " + ext);
        }
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
        if (closed || peerChoking || !amInterested) {
            return;
        }
        boolean nothingLeft;
        List<Message> requests = new ArrayList<>();
        state.lock();
        try {
            int limit = Math.min(pipeline, peerQueue);
            int want = limit - outstanding.size();
            // Top up in batches (a quarter of the pipeline): one write per batch, not per block.
            if (want <= 0 || (want < Math.max(1, limit / 4) && !outstanding.isEmpty())) {
                return;
            }
            if (outstanding.isEmpty()) {
                lastBlockNanos = System.nanoTime();
            }
            for (Block b : swarm.picker().pick(id, peerHas, want)) {
                outstanding.add(b);
                requests.add(new Message.Request(b.piece(), b.offset(), b.length()));
            }
            nothingLeft = requests.isEmpty() && outstanding.isEmpty() && !swarm.picker().wantsAnyOf(peerHas);
        } finally {
            state.unlock();
        }
        try {
            if (direct) {
                writer.sendNow(requests);
            } else {
                requests.forEach(writer::send);
            }
        } catch (IOException e) {
            Log.debug(remote() + " write failed: " + e);
            close();
            return;
        }
        if (nothingLeft) {
            setInterested(false);
        }
    }

    void setInterested(boolean on) {
        if (amInterested != on && !closed) {
            amInterested = on;
            writer.send(on ? new Message.Interested() : new Message.NotInterested());
        }
    }

    void setChoking(boolean on) {
        if (amChoking != on && !closed) {
            amChoking = on;
            if (on) {
                writer.dropServes();
            }
            writer.send(on ? new Message.Choke() : new Message.Unchoke());
        }
    }

    void sendHave(int piece) {
        if (handshaken && !closed) {
            writer.send(new Message.Have(piece));
        }
    }

    /** End-game: someone else delivered this block first. */
    void cancel(Block block) {
        state.lock();
        try {
            if (!outstanding.remove(block)) {
                return;
            }
        } finally {
            state.unlock();
        }
        swarm.picker().release(id, List.of(block));
        writer.send(new Message.Cancel(block.piece(), block.offset(), block.length()));
    }

    /**
     * No block for too long: the peer is snubbed. Its requests go back to the picker for others,
     * and until it delivers again it gets one request at a time (a probe: it cannot sit on a
     * pipeline's worth of blocks again). {@value #MAX_TIMEOUTS} timeouts in a row and it is dropped.
     */
    void timeOutRequests() {
        releaseOutstanding();
        pipeline = 1;
        lastBlockNanos = System.nanoTime();
        if (++timeouts >= MAX_TIMEOUTS) {
            Log.debug(remote() + ": " + timeouts + " request timeouts in a row, closing");
            stalled = true;
            close(); // also unblocks a reader stuck mid-frame and a writer stuck on a peer that stopped reading
        }
    }

    /** Let our requests time out since it last sent a block. */
    boolean snubbed() {
        return timeouts > 0;
    }

    /** Was closed for stalling: the dialer treats that like a failed dial (growing back-off). */
    boolean droppedForStalling() {
        return stalled;
    }

    boolean waitingForBlocks() {
        state.lock();
        try {
            return !outstanding.isEmpty();
        } finally {
            state.unlock();
        }
    }

    boolean peerIsSeed() {
        state.lock();
        try {
            return peerHas.isComplete();
        } finally {
            state.unlock();
        }
    }

    private void releaseOutstanding() {
        List<Block> dropped;
        state.lock();
        try {
            dropped = new ArrayList<>(outstanding);
            outstanding.clear();
        } finally {
            state.unlock();
        }
        swarm.picker().release(id, dropped);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        List<Block> dropped;
        Bitfield had;
        state.lock();
        try {
            dropped = new ArrayList<>(outstanding);
            outstanding.clear();
            had = peerHas.copy();
        } finally {
            state.unlock();
        }
        swarm.picker().peerGone(id, had, dropped);
        swarm.unregister(this);
    }

    /** One line for the debug log. */
    String describe() {
        int queued;
        state.lock();
        try {
            queued = outstanding.size();
        } finally {
            state.unlock();
        }
        return String.format(java.util.Locale.ROOT, "%s: pipeline %d, in flight %d, outbox %d, down %.1f MiB/s, up %.1f MiB/s%s%s",
                remote(), pipeline, queued, writer.queued(), rateToUs / (1 << 20), rateFromUs / (1 << 20),
                peerChoking ? ", choked by peer" : "", amChoking ? "" : ", unchoked by us");
    }
}
