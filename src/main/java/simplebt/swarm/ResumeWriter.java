package simplebt.swarm;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import simplebt.log.Log;
import simplebt.storage.ResumeFile;
import simplebt.storage.Storage;

/**
 * Saves the resume file as pieces complete, at most every few seconds (an atomic write per
 * piece would cost more than the piece). The bitfield is read before the file stamps: a piece
 * written after that shows up as a changed mtime, which makes the next start re-check rather
 * than trust, so the file never claims a piece that is not on disk. The data is forced to disk
 * between the two, so it never claims a piece a power loss could still take back.
 */
final class ResumeWriter {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ReentrantLock lock = new ReentrantLock();
    private final ResumeFile file;
    private final Storage storage;
    private final PiecePicker picker;
    private volatile boolean dirty;
    private long lastSave = System.nanoTime();

    ResumeWriter(ResumeFile file, Storage storage, PiecePicker picker) {
        this.file = file;
        this.storage = storage;
        this.picker = picker;
    }

    void dirty() {
        dirty = true;
    }

    void maybeSave(boolean force) {
        if (!dirty) {
            return;
        }
        lock.lock();
        try {
            long now = System.nanoTime();
            if (!dirty || (!force && now - lastSave < EVERY_NANOS)) {
                return;
            }
            dirty = false;
            lastSave = now;
            byte[] bits = picker.have().toBytes();
            storage.sync(); // the file must not vouch for pieces still only in the page cache
            List<long[]> stamps = storage.fileStamps();
            file.save(bits, stamps);
        } catch (IOException e) {
            Log.debug("cannot save resume file " + file.path() + ": " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
