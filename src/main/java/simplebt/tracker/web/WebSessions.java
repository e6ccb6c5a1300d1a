package simplebt.tracker.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The site's login sessions, apart from the API's bearer tokens: a browser cookie cannot be
 * used as an API token or the other way round, and either can be revoked alone. A session id
 * is 32 random bytes; only its SHA-256 is kept. Kept in memory only: a restart logs everyone
 * out of the site (not of the API), and a login writes nothing to disk.
 *
 * <p>Threads: request threads. {@code byHash} is guarded by {@code lock}; nothing under the
 * lock blocks.
 */
final class WebSessions {
    static final long TTL_MILLIS = 7L * 24 * 3600 * 1000;
    /** Logging in on a 21st browser ends the oldest session of that user. */
    static final int MAX_PER_USER = 20;
    /** Beyond this many live sessions in all, the oldest ones go. */
    static final int MAX_TOTAL = 100_000;

    private record Entry(String username, long createdMillis) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> byHash = new HashMap<>();
    private final LongSupplier clock;
    private final RandomGenerator random;

    WebSessions(LongSupplier clockMillis, RandomGenerator random) {
        this.clock = clockMillis;
        this.random = random;
    }

    /** A new session id for {@code username} (to be set as the cookie). */
    String create(String username) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long now = clock.getAsLong();
        lock.lock();
        try {
            byHash.values().removeIf(e -> expired(e, now));
            List<Map.Entry<String, Entry>> mine = new ArrayList<>(byHash.entrySet().stream()
                    .filter(e -> e.getValue().username.equalsIgnoreCase(username)).toList());
            dropOldest(mine, MAX_PER_USER - 1);
            if (byHash.size() >= MAX_TOTAL) {
                dropOldest(new ArrayList<>(byHash.entrySet()), MAX_TOTAL - 1);
            }
            byHash.put(hash(id), new Entry(username, now));
        } finally {
            lock.unlock();
        }
        return id;
    }

    /** Who a live session id belongs to. */
    Optional<String> user(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        String h = hash(id);
        lock.lock();
        try {
            Entry e = byHash.get(h);
            return e == null || expired(e, clock.getAsLong()) ? Optional.empty() : Optional.of(e.username);
        } finally {
            lock.unlock();
        }
    }

    void revoke(String id) {
        if (id == null) {
            return;
        }
        String h = hash(id);
        lock.lock();
        try {
            byHash.remove(h);
        } finally {
            lock.unlock();
        }
    }

    /** Ends every session of {@code username} except {@code keepId} (null: all of them). */
    void revokeUser(String username, String keepId) {
        String keep = keepId == null ? null : hash(keepId);
        lock.lock();
        try {
            byHash.entrySet().removeIf(e -> e.getValue().username.equalsIgnoreCase(username) && !e.getKey().equals(keep));
        } finally {
            lock.unlock();
        }
    }

    int count(String username) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            return (int) byHash.values().stream().filter(e -> !expired(e, now) && e.username.equalsIgnoreCase(username)).count();
        } finally {
            lock.unlock();
        }
    }

    /** Removes the oldest of {@code entries} from the map until at most {@code keep} remain. */
    private void dropOldest(List<Map.Entry<String, Entry>> entries, int keep) {
        if (entries.size() <= keep) {
            return;
        }
        entries.sort(Comparator.comparingLong(e -> e.getValue().createdMillis));
        for (Map.Entry<String, Entry> e : entries.subList(0, entries.size() - keep)) {
            byHash.remove(e.getKey());
        }
    }

    private static boolean expired(Entry e, long now) {
        return now - e.createdMillis >= TTL_MILLIS;
    }

    static String hash(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
