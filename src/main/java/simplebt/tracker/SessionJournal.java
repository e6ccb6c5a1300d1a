package simplebt.tracker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

/**
 * Where sessions live on disk: a snapshot ({@code sessions.json}, written atomically by the
 * {@link Store}) plus an append-only log ({@code sessions.log}) of what changed since, one JSON
 * line per login or logout, each fsynced before the caller is answered. A login costs one
 * short append instead of rewriting every session. When the log outgrows the live sessions
 * it is folded into a new snapshot and emptied.
 *
 * <p>Replaying the log over a snapshot is idempotent (adding a present session or dropping an
 * absent one changes nothing), so a crash between writing the snapshot and emptying the log
 * loses nothing. Every record ends with a newline; a torn last one (kill -9 mid-append) was
 * never acknowledged and is cut off.
 *
 * <p>Not thread-safe: {@link Sessions} calls it under its write lock.
 */
final class SessionJournal implements AutoCloseable {
    /** The log is folded into the snapshot once it holds this many records more than are live. */
    static final int COMPACT_SLACK = 256;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** One log line: a session added, or the hash of one dropped. */
    private record Entry(Store.SessionRecord add, String drop) {
    }

    private final Store store;
    private final Path logFile;
    private FileChannel log;
    private int records;

    SessionJournal(Store store) {
        this.store = store;
        this.logFile = store.dir().resolve("sessions.log");
    }

    /** Snapshot plus log, applied to {@code into} (hash to record); opens the log for appends. */
    void load(Map<String, Store.SessionRecord> into) throws IOException {
        for (Store.SessionRecord s : store.loadSessions()) {
            into.put(s.tokenHash(), s);
        }
        long goodBytes = 0;
        if (Files.exists(logFile)) {
            String text = Files.readString(logFile, StandardCharsets.UTF_8);
            int start = 0;
            for (int end; (end = text.indexOf('\n', start)) >= 0; start = end + 1) {
                apply(parse(text.substring(start, end)), into);
                goodBytes += text.substring(start, end + 1).getBytes(StandardCharsets.UTF_8).length;
            }
            // A tail without its newline was torn by a crash mid-append: that login was never
            // answered. It is cut off so the next append starts on a clean line.
        }
        log = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (log.size() > goodBytes) {
            log.truncate(goodBytes);
            log.force(true);
        }
    }

    private void apply(Entry e, Map<String, Store.SessionRecord> into) {
        if (e.add() != null) {
            into.put(e.add().tokenHash(), e.add());
        } else {
            into.remove(e.drop());
        }
        records++;
    }

    private Entry parse(String line) throws IOException {
        try {
            Entry e = GSON.fromJson(line, Entry.class);
            if (e != null && (e.add() != null || e.drop() != null)) {
                return e;
            }
        } catch (JsonParseException bad) {
            // reported below
        }
        throw new IOException("corrupt session log " + logFile + ": " + (line.length() > 80 ? line.substring(0, 80) : line));
    }

    void added(Store.SessionRecord s) throws IOException {
        append(new Entry(s, null));
    }

    void dropped(String tokenHash) throws IOException {
        append(new Entry(null, tokenHash));
    }

    private void append(Entry e) throws IOException {
        ByteBuffer line = ByteBuffer.wrap((GSON.toJson(e) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            log.write(line);
        }
        log.force(false);
        records++;
    }

    /** Folds the log into a new snapshot of {@code live} when the log has grown past them. */
    void compactIfDue(Collection<Store.SessionRecord> live) throws IOException {
        if (records < live.size() + COMPACT_SLACK) {
            return;
        }
        store.saveSessions(live);
        log.truncate(0);
        log.force(true);
        records = 0;
    }

    /** Records in the log since the last snapshot. */
    int logRecords() {
        return records;
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }
}
