package simplebt.swarm;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.MetainfoException;

/**
 * A hosted torrent's metainfo: parsed, or while it is dormant only its bytes. The parse keeps the
 * piece hashes up to four times over (file bytes, bencoded tree, info bytes, hashes) and the
 * tree as objects, more than the rest of a dormant torrent together.
 *
 * <p>Threads: any. One volatile field, so a reader sees the parse or the bytes, never neither
 * (two fields made a reader that raced a wake spin until one was set); written by whoever puts
 * the torrent to sleep or wakes it.
 */
final class KeptMetainfo {
    private volatile Kept kept;

    private sealed interface Kept permits Parsed, Raw {
    }

    private record Parsed(Metainfo meta) implements Kept {
    }

    private record Raw(byte[] bytes) implements Kept {
    }

    KeptMetainfo(Metainfo meta) {
        this.kept = new Parsed(meta);
    }

    /** The torrent; kept as bytes, parsed afresh for each call. */
    Metainfo get() {
        return switch (kept) {
            case Parsed p -> p.meta();
            case Raw r -> parse(r.bytes());
        };
    }

    /** Going dormant: the parse goes, the bytes stay. */
    void keepBytes(Metainfo m) {
        kept = new Raw(m.raw());
    }

    /** Waking (or paused, stopped): the parse again. */
    void keepParsed() {
        kept = new Parsed(get());
    }

    private static Metainfo parse(byte[] raw) {
        try {
            return Metainfo.parse(raw);
        } catch (MetainfoException e) {
            throw new IllegalStateException("a torrent's own bytes no longer parse: " + e.getMessage(), e);
        }
    }
}
