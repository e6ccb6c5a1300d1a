package simplebt.storage;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import simplebt.metainfo.Info;
import simplebt.metainfo.InfoHash;

/**
 * Deletes one torrent's data from its data folder: its files, then the folders between them and
 * the data folder that are left empty, then its resume file. Nothing else: every path comes from
 * {@link Storage} (so through {@link SafePaths}, under the data folder), a path with a symbolic
 * link on the way is left alone (a link planted there could point anywhere), and a folder that
 * still holds something not the torrent's stays.
 */
public final class DataRemover {
    /** What was deleted, and one line per thing left in place on purpose. */
    public record Removal(int files, int folders, List<String> kept) {
        public Removal {
            kept = List.copyOf(kept);
        }
    }

    private DataRemover() {
    }

    public static Removal remove(Path dataDir, Info info, InfoHash infoHash) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        List<Path> paths;
        try (Storage storage = new Storage(root, info)) {
            paths = storage.paths();
        }
        List<String> kept = new ArrayList<>();
        int files = 0;
        TreeSet<Path> folders = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (Path p : paths) {
            for (Path d = p.getParent(); d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
                folders.add(d);
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (linkOnTheWay(root, p)) {
                kept.add("left " + p + " alone: a symbolic link is on its path");
                continue;
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                kept.add("left " + p + " alone: not a regular file");
                continue;
            }
            Files.delete(p);
            files++;
        }
        int removedFolders = 0;
        for (Path d : folders) {
            if (deleteIfEmptyFolder(root, d)) {
                removedFolders++;
            }
        }
        removeResume(root, infoHash);
        return new Removal(files, removedFolders, kept);
    }

    /** Deletes the torrent's resume file, and our resume folder if that leaves it empty. */
    public static void removeResume(Path dataDir, InfoHash infoHash) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        ResumeFile resume = new ResumeFile(root, infoHash);
        if (linkOnTheWay(root, resume.path())) {
            return; // not a folder we made: whatever it points at is not ours to delete
        }
        resume.delete();
        deleteIfEmptyFolder(root, resume.path().getParent());
    }

    /**
     * A real, empty folder is deleted; a folder with anything in it is not, and neither is one
     * reached through a link (NOFOLLOW covers the last name only, so every folder on the way is checked).
     */
    private static boolean deleteIfEmptyFolder(Path root, Path d) throws IOException {
        if (linkOnTheWay(root, d) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.delete(d);
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        }
    }

    private static boolean linkOnTheWay(Path root, Path p) {
        try {
            SafePaths.checkNoLinks(root, p);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
