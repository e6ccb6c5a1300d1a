package simplebt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a whole small file so that a crash leaves either the old or the new content, never
 * half: write a temp file beside it, fsync, rename over, fsync the directory.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        try (Replacement replacement = new Replacement(target)) {
            replacement.commit(content);
        }
    }

    /**
     * Starts replacing {@code target} before its content exists: the folder and the temp file
     * are made now, so a target that cannot be written fails before the (long) work that makes
     * the content, and that set-up is off the path between the content and the finished file.
     * The temp file is also removed when the JVM exits first (Ctrl-C while {@code create}
     * hashes); the JVM keeps its name until exit, so this is for one-shot commands, not for a
     * long-running process writing many files ({@link #write} does not register it).
     */
    public static Replacement begin(Path target) throws IOException {
        Replacement replacement = new Replacement(target);
        // deleteOnExit deletes in reverse order: the temp file, then the folders this made,
        // deepest first (a folder that is not empty by then, holding the finished file, stays)
        replacement.made.forEach(d -> d.toFile().deleteOnExit());
        replacement.temp.toFile().deleteOnExit();
        return replacement;
    }

    /**
     * One replacement of a file: the temp file from construction on; {@link #commit} fills it and
     * renames it over the target, {@link #close} removes it if that did not happen. One thread.
     */
    public static final class Replacement implements AutoCloseable {
        private final Path absolute;
        private final Path dir;
        private final Path temp;
        /** The folders this made for the target, outermost first: removed again if never committed. */
        private final List<Path> made = new ArrayList<>();
        private boolean renamed;

        private Replacement(Path target) throws IOException {
            this.absolute = target.toAbsolutePath();
            this.dir = absolute.getParent();
            for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
                made.addFirst(d);
            }
            Files.createDirectories(dir);
            this.temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
        }

        /** Writes {@code content} to the temp file, fsyncs it and renames it over the target. */
        public void commit(byte[] content) throws IOException {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            renamed = true;
            syncDirectory(dir);
        }

        /**
         * Removes the temp file unless {@link #commit} renamed it, and the folders made for it
         * that are still empty: a failed {@code create -o new/dir/x.torrent} leaves nothing.
         */
        @Override
        public void close() throws IOException {
            if (renamed) {
                return;
            }
            Files.deleteIfExists(temp);
            for (Path d : made.reversed()) {
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException e) {
                    return; // something else was put there meanwhile: keep it and its parents
                }
            }
        }
    }

    /** Makes a rename durable; a no-op where the platform cannot open directories. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename is still atomic there.
        }
    }
}
