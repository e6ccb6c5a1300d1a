package simplebt.tracker;

import java.util.concurrent.atomic.AtomicLongArray;

import simplebt.metainfo.InfoHash;

/**
 * Which (torrent, address, key) already reported {@code completed}, for announces that carry
 * no passkey (open mode), so one client counts once however many peer ids it makes up. A
 * fixed table of 64-bit fingerprints, one per slot (direct-mapped): {@link #SLOTS} x 8 bytes
 * whatever is announced; a fingerprint pushed out by another may count once more. In open mode
 * the client chooses its key, so this stops accidental and lazy inflation, not a determined
 * liar; private trackers count once per user exactly ({@link TorrentRegistry}).
 *
 * <p>Threads: any; each slot is swapped atomically.
 */
final class SeenCompletions {
    static final int SLOTS = 1 << 18;
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

    /** True the first time this client reports this torrent complete (as far as the table remembers). */
    boolean firstTime(InfoHash hash, byte[] ip, long key) {
        long fp = 0xcbf29ce484222325L;
        for (byte b : hash.bytes()) {
            fp = (fp ^ (b & 0xff)) * 0x100000001b3L;
        }
        for (byte b : ip) {
            fp = (fp ^ (b & 0xff)) * 0x100000001b3L;
        }
        fp = (fp ^ key) * 0x100000001b3L;
        fp = fp == 0 ? 1 : fp;
        int slot = (int) (fp ^ fp >>> 32) & (SLOTS - 1);
        return slots.getAndSet(slot, fp) != fp;
    }
}
