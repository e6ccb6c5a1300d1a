package simplebt.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded set of open {@link FileChannel}s for one torrent's files, least recently used closed
 * first: a torrent of 10,000 files must not hold 10,000 descriptors (the default limit is often
 * 1,024). Peer threads do positional I/O on the same channel at once, so a channel is lent out as a
 * {@link Lease} that counts its users, and a channel in use is never closed: eviction passes over
 * it, and a channel replaced by a writable one is closed by its last user. The number open is at
 * most the limit plus the leases held at that moment (one per thread doing I/O).
 *
 * <p>Threads: every field is guarded by {@code lock}, which is held while a file is opened or
 * closed (short system calls, and it keeps one channel per file) but never during reads or writes.
 */
final class OpenFiles implements AutoCloseable {
    /** Opens file {@code index} of the torrent, writable or read-only. */
    interface Opener {
        FileChannel open(int index, boolean write) throws IOException;
    }

    /** A channel lent to one user; closing the lease returns it. */
    final class Lease implements AutoCloseable {
        private final FileChannel channel;
        private final boolean writable;
        private int users; // guarded by lock
        private boolean retired; // guarded by lock: no longer in the map, closed by its last user

        private Lease(FileChannel channel, boolean writable) {
            this.channel = channel;
            this.writable = writable;
        }

        FileChannel channel() {
            return channel;
        }

        @Override
        public void close() {
            release(this);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Integer, Lease> open = new LinkedHashMap<>(16, 0.75f, true); // access order = LRU
    private final int limit;
    private final Opener opener;
    private int retiredOpen; // retired channels still in use
    private boolean closed;

    OpenFiles(int limit, Opener opener) {
        if (limit < 1) {
            throw new IllegalArgumentException("open file limit must be at least 1, got " + limit);
        }
        this.limit = limit;
        this.opener = opener;
    }

    /** A channel for file {@code index}; writable when asked (a read-only one is then replaced). */
    Lease acquire(int index, boolean write) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("storage is closed");
            }
            Lease lease = open.get(index);
            // A channel is closed for every user when one of them is interrupted mid-I/O; reopen then.
            if (lease != null && lease.channel.isOpen() && (lease.writable || !write)) {
                lease.users++;
                return lease;
            }
            FileChannel channel = opener.open(index, write);
            if (lease != null) {
                open.remove(index);
                retire(lease);
            }
            Lease fresh = new Lease(channel, write);
            fresh.users = 1;
            open.put(index, fresh);
            evictIdle();
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    private void release(Lease lease) {
        lock.lock();
        try {
            lease.users--;
            if (lease.retired) {
                if (lease.users == 0) {
                    retiredOpen--;
                    closeQuietly(lease.channel);
                }
            } else if (open.size() > limit) {
                evictIdle();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the least recently used idle channels until the map is within the limit. */
    private void evictIdle() {
        Iterator<Lease> it = open.values().iterator();
        while (open.size() > limit && it.hasNext()) {
            Lease lease = it.next();
            if (lease.users == 0) {
                it.remove();
                closeQuietly(lease.channel);
            }
        }
    }

    private void retire(Lease lease) {
        lease.retired = true;
        if (lease.users == 0) {
            closeQuietly(lease.channel);
        } else {
            retiredOpen++;
        }
    }

    /** Channels open right now, in the map or still held by a user. */
    int openCount() {
        lock.lock();
        try {
            return open.size() + retiredOpen;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every idle channel now and the rest when their users return them. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Lease lease : open.values()) {
                retire(lease);
            }
            open.clear();
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written through a failed close that a later sync or check would not catch.
        }
    }
}
