package simplebt.swarm;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.wire.Message;
import simplebt.wire.MessageCodec;

/**
 * The sending half of a connection, on its own thread ({@link PeerThreads}): drains a queue to
 * the socket and flushes only when the queue is empty, so a burst of messages shares TCP
 * segments and a slow peer never blocks our reader. Requests we serve wait in the queue as
 * references and are read from storage only when their turn comes, through a read-ahead
 * buffer. A keep-alive goes out after a minute of silence (BEP 3 peers drop connections idle
 * for two).
 */
final class PeerWriter {
    /**
     * The most requests of one peer we hold an answer for (a block or a BEP 6 reject) that is not
     * written yet: the reqq we advertise (BEP 10). More is a flood, and the connection is closed.
     */
    static final int MAX_SERVE_QUEUE = 1000;
    /**
     * Uploads read ahead this much of a piece at once: peers ask for a piece's blocks in order,
     * so one positional read serves many requests instead of one system call per 16 KiB.
     */
    static final int READ_AHEAD = 512 * 1024;
    private static final long KEEPALIVE_SECONDS = 60;
    private static final Object CLOSE = new Object();
    private static final Message KEEPALIVE = new Message.KeepAlive();

    /** A request we will answer. */
    private record Serve(int piece, int begin, int length) {
    }

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger serving = new AtomicInteger();
    /**
     * BEP 6 rejects queued and not yet written: incremented by whichever thread queues one,
     * decremented by the writer thread. With {@code serving}, the peer's unanswered requests.
     */
    private final AtomicInteger rejects = new AtomicInteger();
    private final DataOutputStream out;
    private final Swarm swarm;
    private final PeerConnection owner;
    private Thread thread;
    private volatile boolean woken;
    /** Held while writing to {@code out}: by this writer, or by the reader sending requests itself. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Items queued and not yet written; the reader writes directly only when this is 0 (keeps order). */
    private final AtomicInteger pending = new AtomicInteger();
    /**
     * Haves for a peer that needs none soon (a seed): they wake nobody and go out with whatever
     * is written next (in front of our requests, after the writer's next message), or with the ticker's
     * {@link #flushLazy} at most a second later. A leecher used to write one have per piece on
     * its own: 4,096 of the seeder's 4,700 reader wake-ups per GiB. Added by the piece's
     * writer (any thread), taken by whoever holds {@code writeLock}, or by the ticker.
     */
    private final ConcurrentLinkedQueue<Message.Have> lazy = new ConcurrentLinkedQueue<>();
    /** Read-ahead buffer, owned by the writer thread; allocated while the peer is unchoked. */
    private byte[] chunk;
    private int chunkPiece = -1;
    private int chunkStart;
    private int chunkLength;

    PeerWriter(DataOutputStream out, Swarm swarm, PeerConnection owner) {
        this.out = out;
        this.swarm = swarm;
        this.owner = owner;
    }

    void start(String name) {
        thread = PeerThreads.start(name, this::loop);
    }

    void send(Message message) {
        add(message);
    }

    private void add(Object item) {
        if (queue.isEmpty()) {
            woken = true;
        }
        pending.incrementAndGet();
        if (item instanceof Message.Reject) {
            rejects.incrementAndGet();
        }
        queue.add(item);
    }

    /** A have the peer will hear about with our next write (see {@code lazy}); never wakes the writer. */
    void sendLazy(Message.Have have) {
        lazy.add(have);
    }

    /** The ticker: haves still waiting go into the queue (wakes the writer only if there are any). */
    void flushLazy() {
        for (Message.Have h; (h = lazy.poll()) != null; ) {
            send(h);
        }
    }

    /** Under {@code writeLock}: the waiting haves, in front of whatever is written next. */
    private void writeLazy(MessageCodec codec) throws IOException {
        for (Message.Have h; (h = lazy.poll()) != null; ) {
            codec.write(out, h);
        }
    }

    /**
     * True once after an item went into an empty queue, i.e. this writer was just woken. The
     * reader then yields its core so the writer runs now instead of whenever the scheduler gets
     * to it: on a busy two-core machine that hand-off decided the transfer rate.
     */
    boolean takeWoken() {
        if (!woken) {
            return false;
        }
        woken = false;
        return true;
    }

    /**
     * Sends requests from the reader's own thread when nothing is queued and the writer is not
     * writing: the requests keep the peer busy, so they should not wait for a thread hand-off.
     * Not while we upload to this peer (a socket full of our piece data could block the reader).
     */
    void requestNow(List<Block> blocks) throws IOException {
        if (blocks.isEmpty()) {
            return;
        }
        boolean written = writeDirect(() -> {
            writeLazy(swarm.codec());
            for (Block b : blocks) {
                MessageCodec.writeRequest(out, b.piece(), b.offset(), b.length());
            }
        });
        if (!written) {
            blocks.forEach(b -> send(new Message.Request(b.piece(), b.offset(), b.length())));
        }
    }

    private interface Writes {
        void run() throws IOException;
    }

    /** Writes and flushes on the caller's thread if the writer is idle; false if it was not. */
    private boolean writeDirect(Writes writes) throws IOException {
        if (serving.get() != 0 || pending.get() != 0 || !writeLock.tryLock()) {
            return false;
        }
        try {
            writes.run();
            out.flush();
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /** Queues a block to upload; false when the peer already has too many requests queued. */
    boolean serve(int piece, int begin, int length) {
        if (unanswered() >= MAX_SERVE_QUEUE) {
            return false;
        }
        serving.incrementAndGet();
        add(new Serve(piece, begin, length));
        return true;
    }

    /**
     * BEP 6: queues a reject for a request we will not serve; false, and nothing queued, when the
     * peer already has too many requests unanswered. Without the bound, a peer that asks while
     * choked and never reads grew this queue by one reject per request, without end.
     */
    boolean reject(int piece, int begin, int length) {
        if (unanswered() >= MAX_SERVE_QUEUE) {
            return false;
        }
        add(new Message.Reject(piece, begin, length));
        return true;
    }

    /** Requests we hold an answer for that is not written yet. */
    private int unanswered() {
        return serving.get() + rejects.get();
    }

    /** BEP 3 cancel: forget a queued request if it has not gone out yet; true if it had not. */
    boolean cancelServe(int piece, int begin, int length) {
        if (queue.remove(new Serve(piece, begin, length))) {
            serving.decrementAndGet();
            pending.decrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * We choked the peer: its queued requests are discarded (BEP 3); returned as rejects, which a
     * peer with the fast extension (BEP 6) must be sent.
     */
    List<Message> dropServes() {
        List<Message> rejects = new ArrayList<>();
        queue.removeIf(item -> item instanceof Serve s && rejects.add(new Message.Reject(s.piece(), s.begin(), s.length()))
                && serving.decrementAndGet() >= 0 && pending.decrementAndGet() >= 0);
        return rejects;
    }

    int queued() {
        return queue.size();
    }

    void stop() {
        queue.clear();
        queue.add(CLOSE);
    }

    void join() throws InterruptedException {
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Makes sure the block is in {@code chunk}; returns its offset there. */
    private int readAhead(Serve s) throws IOException {
        if (s.piece() != chunkPiece || s.begin() < chunkStart || s.begin() + s.length() > chunkStart + chunkLength) {
            if (chunk == null) {
                chunk = new byte[Math.min(READ_AHEAD, swarm.shape().pieceLength())];
            }
            int size = swarm.shape().pieceSize(s.piece());
            chunkLength = Math.max(s.length(), Math.min(chunk.length, size - s.begin()));
            chunkPiece = -1; // until the read succeeds
            swarm.storage().read(s.piece(), s.begin(), chunk, 0, chunkLength);
            chunkPiece = s.piece();
            chunkStart = s.begin();
        }
        return s.begin() - chunkStart;
    }

    private void loop() {
        MessageCodec codec = swarm.codec();
        try {
            while (true) {
                Object item = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                if (item == CLOSE) {
                    break;
                }
                if (item == null) {
                    item = KEEPALIVE;
                }
                if (item instanceof Serve s) {
                    swarm.limits().upload().take(s.length()); // --max-upload-rate, before the lock: the reader may write meanwhile
                }
                writeLock.lock();
                try {
                    if (item instanceof Serve s) {
                        serving.decrementAndGet();
                        int at = readAhead(s);
                        MessageCodec.writePiece(out, s.piece(), s.begin(), chunk, at, s.length());
                        owner.countUploaded(s.length());
                    } else {
                        codec.write(out, (Message) item);
                        if (item instanceof Message.Reject) {
                            rejects.decrementAndGet();
                        }
                        if (item instanceof Message.Choke) {
                            // Only the few unchoked peers need a read-ahead buffer: a seeder with
                            // 50 connections would otherwise keep 50 of them.
                            chunk = null;
                            chunkPiece = -1;
                        }
                    }
                    if (!(item instanceof Message.KeepAlive k && k == KEEPALIVE)) {
                        pending.decrementAndGet();
                    }
                    // after the item, not before: the first item is our bitfield (or have all /
                    // have none), which BEP 3 allows only as the first message
                    writeLazy(codec);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                } finally {
                    writeLock.unlock();
                }
            }
        } catch (IOException e) {
            Log.debug(owner.remote() + " write failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            owner.close();
        }
    }
}
