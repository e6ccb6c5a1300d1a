package simplebt.tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;

import simplebt.metainfo.InfoHash;
import simplebt.storage.AtomicFiles;

/**
 * The tracker's data directory. Every write is atomic and durable (AtomicFiles: temp, fsync,
 * rename) and returns only after that, so a success reply means the data survives kill -9
 * (completed counts are written in batches by {@link TorrentRegistry#flush}, not per announce).
 * Layout: {@code accounts.json}, {@code sessions.json}, {@code torrents/<infohash>.torrent}
 * and {@code torrents/<infohash>.json}. Only info hashes (40 hex digits we computed) name files.
 */
final class Store {
    private static final Pattern ENTRY_FILE = Pattern.compile("[0-9a-f]{40}\\.json");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private final Path dir;
    private final Path torrents;

    /**
     * Hashed login token with its owner, expiry (epoch seconds) and creation order (a number
     * that grows with every login, 0 in files from before it was kept).
     */
    record SessionRecord(String tokenHash, String username, long expires, long created) {
    }

    Store(Path dir) throws IOException {
        this.dir = dir;
        this.torrents = dir.resolve("torrents");
        Files.createDirectories(torrents);
        removeLeftoverTemps(dir);
        removeLeftoverTemps(torrents);
    }

    /** A kill -9 during a write leaves AtomicFiles' hidden temp file behind; it never counted. */
    private static void removeLeftoverTemps(Path d) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d, ".*.tmp")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    Path dir() {
        return dir;
    }

    List<Account> loadAccounts() throws IOException {
        return readList(dir.resolve("accounts.json"), new TypeToken<List<Account>>() { });
    }

    void saveAccounts(Collection<Account> accounts) throws IOException {
        write(dir.resolve("accounts.json"), GSON.toJson(accounts));
    }

    List<SessionRecord> loadSessions() throws IOException {
        return readList(dir.resolve("sessions.json"), new TypeToken<List<SessionRecord>>() { });
    }

    void saveSessions(Collection<SessionRecord> sessions) throws IOException {
        write(dir.resolve("sessions.json"), GSON.toJson(sessions));
    }

    List<TorrentEntry> loadTorrents() throws IOException {
        List<TorrentEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(torrents)) {
            for (Path f : files) {
                if (ENTRY_FILE.matcher(f.getFileName().toString()).matches()) {
                    out.add(parse(f, TorrentEntry.class));
                }
            }
        }
        return out;
    }

    /** Writes the .torrent first and the entry last: an entry on disk always has its file. */
    void saveTorrent(TorrentEntry entry, byte[] torrentFile) throws IOException {
        InfoHash hash = InfoHash.fromHex(entry.infoHash());
        AtomicFiles.write(torrents.resolve(hash.hex() + ".torrent"), torrentFile);
        saveEntry(entry);
    }

    void saveEntry(TorrentEntry entry) throws IOException {
        InfoHash hash = InfoHash.fromHex(entry.infoHash());
        write(torrents.resolve(hash.hex() + ".json"), GSON.toJson(entry));
    }

    /** Entry first, file last: the reverse of saving, so an entry on disk always has its file. */
    void deleteTorrent(InfoHash hash) throws IOException {
        Files.deleteIfExists(torrents.resolve(hash.hex() + ".json"));
        Files.deleteIfExists(torrents.resolve(hash.hex() + ".torrent"));
    }

    byte[] torrentFile(InfoHash hash) throws IOException {
        return Files.readAllBytes(torrents.resolve(hash.hex() + ".torrent"));
    }

    private static void write(Path file, String json) throws IOException {
        AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> List<T> readList(Path file, TypeToken<List<T>> type) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<T> list = parse(file, type.getType());
        return list == null ? List.of() : list;
    }

    private static <T> T parse(Path file, java.lang.reflect.Type type) throws IOException {
        try {
            return GSON.fromJson(Files.readString(file), type);
        } catch (JsonParseException e) {
            throw new IOException("corrupt data file " + file + ": " + e.getMessage(), e);
        }
    }
}
