package simplebt.node;

import java.util.List;
import java.util.Optional;

import simplebt.cli.Table;
import simplebt.cli.Units;
import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;
import simplebt.swarm.Bitfield;
import simplebt.swarm.PeerSummary;

/** One torrent's files (with how much of each we hold) and its connected peers, as tables. */
final class TransferDetails {
    private TransferDetails() {
    }

    /** Files in torrent order; progress only when {@code have} is known (the torrent runs). BEP 47 padding files are left out. */
    static Table files(Info info, Optional<Bitfield> have) {
        Table table = new Table("No.", "File", "Size", "Progress");
        int n = 1;
        for (FileEntry f : info.files()) {
            if (f.padding()) {
                continue;
            }
            String progress = have.map(h -> percent(held(info, f, h), f.length())).orElse("-");
            table.row(n++, String.join("/", info.relativePath(f)), Units.bytes(f.length()), progress);
        }
        return table;
    }

    /** Bytes of the file that lie in pieces we hold: a piece at a file's edge counts only for its overlap. */
    static long held(Info info, FileEntry f, Bitfield have) {
        if (f.length() == 0) {
            return 0;
        }
        long start = f.offset();
        long end = f.offset() + f.length();
        int first = (int) (start / info.pieceLength());
        int last = (int) ((end - 1) / info.pieceLength());
        long bytes = 0;
        for (int p = first; p <= last; p++) {
            if (have.get(p)) {
                long pieceStart = (long) p * info.pieceLength();
                bytes += Math.min(end, pieceStart + info.pieceSize(p)) - Math.max(start, pieceStart);
            }
        }
        return bytes;
    }

    private static String percent(long held, long size) {
        double p = size == 0 ? 100 : 100.0 * held / size;
        return Units.oneDecimal(held < size ? Math.min(p, 99.9) : p) + "%";
    }

    static Table peers(List<PeerSummary> peers) {
        Table table = new Table("Address", "Client", "Dir", "Down", "Up", "Seed");
        for (PeerSummary p : peers) {
            table.row(p.address().getHostString() + ":" + p.address().getPort(), p.client(),
                    p.outgoing() ? "out" : "in", Units.rate(p.downRate()), Units.rate(p.upRate()), p.seed() ? "yes" : "no");
        }
        return table;
    }
}
