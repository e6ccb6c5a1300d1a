package simplebt.storage;

import java.util.BitSet;
import java.util.List;

import simplebt.metainfo.FileEntry;
import simplebt.metainfo.Info;

/**
 * Which files of a torrent to download: all of them, those matching {@code --only} globs, or
 * those picked by number in the menu. Resolved against a torrent's file list into a set of file
 * indices ({@link Info#files()} order); BEP 47 padding files are never chosen (never on disk).
 */
public sealed interface FileSelection {
    /** Every file: a normal download. */
    FileSelection ALL = new All();

    /** The chosen files' indices in {@link Info#files()}; throws {@link NoMatch} for a glob matching nothing. */
    BitSet chosen(Info info);

    /** True when this selection takes every file, whatever the torrent. */
    default boolean isAll() {
        return this instanceof All;
    }

    static FileSelection globs(List<String> globs) {
        return globs.isEmpty() ? ALL : new Globs(globs.stream().map(PathGlob::of).toList());
    }

    static FileSelection files(BitSet indices) {
        return new Files(indices);
    }

    /** A file's path inside the torrent, as globs see it: '/'-separated, without the torrent's folder name. */
    static String pathInTorrent(Info info, FileEntry file) {
        return info.multiFile() ? file.displayPath() : info.name();
    }

    /** A glob that matched no file; its message is the one line the user sees. */
    final class NoMatch extends IllegalArgumentException {
        NoMatch(String message) {
            super(message);
        }
    }

    record All() implements FileSelection {
        @Override
        public BitSet chosen(Info info) {
            BitSet all = new BitSet();
            for (int i = 0; i < info.files().size(); i++) {
                all.set(i, !info.files().get(i).padding());
            }
            return all;
        }
    }

    record Globs(List<PathGlob> globs) implements FileSelection {
        public Globs {
            globs = List.copyOf(globs);
        }

        @Override
        public BitSet chosen(Info info) {
            BitSet out = new BitSet();
            for (PathGlob glob : globs) {
                boolean any = false;
                for (int i = 0; i < info.files().size(); i++) {
                    FileEntry f = info.files().get(i);
                    if (!f.padding() && glob.matches(pathInTorrent(info, f))) {
                        out.set(i);
                        any = true;
                    }
                }
                if (!any) {
                    throw new NoMatch("--only '" + glob + "' matches no file in " + info.name()
                            + "; `node info` lists them");
                }
            }
            return out;
        }
    }

    /** By index, as the menu's file picker chose them; indices past the torrent's files are ignored. */
    record Files(BitSet indices) implements FileSelection {
        public Files {
            indices = (BitSet) indices.clone();
        }

        @Override
        public BitSet indices() {
            return (BitSet) indices.clone();
        }

        @Override
        public BitSet chosen(Info info) {
            BitSet out = (BitSet) indices.clone();
            if (out.length() > info.files().size()) {
                out.clear(info.files().size(), out.length());
            }
            for (int i = out.nextSetBit(0); i >= 0; i = out.nextSetBit(i + 1)) {
                if (info.files().get(i).padding()) {
                    out.clear(i);
                }
            }
            return out;
        }
    }
}
