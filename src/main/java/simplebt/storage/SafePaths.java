package simplebt.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import simplebt.metainfo.PathRules;

/**
 * Turns a torrent's path components into a path under the download root, checked again here
 * whatever the metainfo layer did: every component must pass {@link PathRules}, the normalized
 * result must stay under the root, and no existing component on the way may be a symbolic link
 * (a link planted in the download folder could otherwise point writes anywhere).
 */
public final class SafePaths {
    private SafePaths() {
    }

    public static Path resolve(Path root, List<String> components) throws IOException {
        if (components.isEmpty()) {
            throw new IOException("empty file path in torrent");
        }
        Path base = root.toAbsolutePath().normalize();
        Path path = base;
        for (String c : components) {
            String problem = PathRules.problem(c);
            if (problem != null) {
                throw new IOException("unsafe file name in torrent: " + problem);
            }
            path = path.resolve(c);
        }
        path = path.normalize();
        if (!path.startsWith(base) || path.equals(base)) {
            throw new IOException("file path escapes the download folder: " + String.join("/", components));
        }
        return path;
    }

    /** Refuses a symbolic link at the path itself or at any directory between it and the root. */
    public static void checkNoLinks(Path root, Path path) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path current = base;
        for (Path part : base.relativize(path)) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new IOException("refusing to follow symbolic link " + current);
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
        }
    }

    /** Creates the directories between root and the file, each one checked for links. */
    public static void createParents(Path root, Path file) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Files.createDirectories(base);
        Path current = base;
        Path rel = base.relativize(file.getParent());
        for (Path part : rel) {
            if (part.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(part);
            if (Files.isSymbolicLink(current)) {
                throw new IOException("refusing to follow symbolic link " + current);
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException e) {
                    // another thread storing a piece of the same folder made it first (pieces are
                    // written by several threads); fine if it is a real folder, not a link or a file
                    if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                }
            }
        }
    }
}
