package simplebt.metainfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import simplebt.log.Log;

/**
 * Finds the files that go into a new torrent.
 * <ul>
 * <li>Order: by relative path compared as UTF-8 bytes with '/' separators, the order mktorrent
 * uses, so both tools agree on the info hash.</li>
 * <li>Hidden files and folders (name starting with '.') are left out: they are editor,
 * VCS and desktop clutter ({@code .git}, {@code .DS_Store}), not content.</li>
 * <li>Symbolic links inside a folder are left out with a warning: following them could pull
 * in data from outside the folder or loop forever. A link given as the source itself is
 * followed, keeping the link's name.</li>
 * </ul>
 */
final class ContentScanner {
    record SourceFile(Path path, List<String> relativePath, long length, long offset) {
    }

    record Content(String name, boolean multiFile, List<SourceFile> files, long totalLength) {
        /** Index of the file holding byte {@code position} of the concatenation. */
        int fileAt(long position) {
            int lo = 0;
            int hi = files.size() - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (files.get(mid).offset() <= position) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
    }

    private ContentScanner() {
    }

    static Content scan(Path source) throws IOException {
        Path path = source.toAbsolutePath().normalize();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(source.toString(), null, "no such file or folder");
        }
        Path fileName = path.getFileName();
        if (fileName == null) {
            throw new IOException(source + ": cannot make a torrent of the file system root");
        }
        String name = fileName.toString();
        if (Files.isRegularFile(path)) {
            if (!Files.isReadable(path)) {
                throw new IOException(source + ": file is not readable");
            }
            long length = Files.size(path);
            if (length == 0) {
                throw new IOException(source + ": file is empty; a torrent needs at least one byte");
            }
            // A link named on the command line is followed (the user chose it); the data is
            // read through the real path because hashing opens files with NOFOLLOW_LINKS.
            return new Content(name, false, List.of(new SourceFile(path.toRealPath(), List.of(name), length, 0)), length);
        }
        if (!Files.isDirectory(path)) {
            throw new IOException(source + ": not a regular file or folder");
        }
        List<Path> found = new ArrayList<>();
        collect(path, found);
        found.sort(Comparator.comparing(p -> relative(path, p), ContentScanner::compareUtf8));
        List<SourceFile> files = new ArrayList<>();
        long offset = 0;
        for (Path p : found) {
            long length = Files.size(p);
            files.add(new SourceFile(p, Arrays.asList(relative(path, p).split("/")), length, offset));
            offset += length;
        }
        if (offset == 0) {
            throw new IOException(source + ": folder has no data to share (empty, or only hidden files and links)");
        }
        return new Content(name, true, List.copyOf(files), offset);
    }

    private static void collect(Path dir, List<Path> out) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (n.startsWith(".")) {
                    Log.debug("skipping hidden " + p);
                } else if (attrs.isSymbolicLink()) {
                    Log.warn("skipping symbolic link " + p);
                } else if (attrs.isDirectory()) {
                    collect(p, out);
                } else if (attrs.isRegularFile()) {
                    if (!Files.isReadable(p)) {
                        throw new IOException(p + ": file is not readable");
                    }
                    out.add(p);
                }
            }
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
