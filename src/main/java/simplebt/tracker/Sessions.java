package simplebt.tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Login tokens: 32 random bytes, handed out once; only their SHA-256 is kept (in memory and
 * on disk), so a leaked data directory holds no usable token. Tokens expire, and one user
 * holds at most {@link #MAX_PER_USER}: a new login drops that user's oldest session, so
 * logging in in a loop cannot grow memory or disk. Each login or logout is one fsynced
 * append to the {@link SessionJournal}, not a rewrite of every session.
 *
 * <p>Threads: {@code byHash} is read by any request thread; every change to it and every
 * journal write happens under {@code writeLock}.
 */
final class Sessions implements AutoCloseable {
    static final long DEFAULT_TTL_SECONDS = 30L * 24 * 3600;
    /** Browsers, a node or two and the menu: ten live logins per user is plenty. */
    static final int MAX_PER_USER = 10;
    private final LongSupplier clockMillis;
    private final SecureRandom random;
    private final long ttlSeconds;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Store.SessionRecord> byHash = new ConcurrentHashMap<>();
    private final SessionJournal journal;
    /** The newest {@code created} handed out; guarded by {@code writeLock}. */
    private long lastCreated;

    /** A new token and when it expires (epoch seconds). */
    record Issued(String token, long expires) {
    }

    Sessions(Store store, LongSupplier clockMillis, SecureRandom random, long ttlSeconds) throws IOException {
        this.clockMillis = clockMillis;
        this.random = random;
        this.ttlSeconds = ttlSeconds;
        this.journal = new SessionJournal(store);
        journal.load(byHash);
        long now = now();
        byHash.values().removeIf(s -> s.expires() <= now);
        for (Store.SessionRecord s : byHash.values()) {
            lastCreated = Math.max(lastCreated, s.created());
        }
    }

    Issued create(String username) throws IOException {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long expires = now() + ttlSeconds;
        writeLock.lock();
        try {
            // Strictly increasing even when the clock stands still or steps back.
            lastCreated = Math.max(lastCreated + 1, clockMillis.getAsLong());
            Store.SessionRecord record = new Store.SessionRecord(hash(token), username, expires, lastCreated);
            journal.added(record);
            byHash.put(record.tokenHash(), record);
            dropOldestBeyondCap(username);
            journal.compactIfDue(live());
        } finally {
            writeLock.unlock();
        }
        return new Issued(token, expires);
    }

    /** Drops the user's sessions created first, down to {@link #MAX_PER_USER}. */
    private void dropOldestBeyondCap(String username) throws IOException {
        List<Store.SessionRecord> mine = new ArrayList<>();
        for (Store.SessionRecord s : byHash.values()) {
            if (s.username().equalsIgnoreCase(username)) {
                mine.add(s);
            }
        }
        if (mine.size() <= MAX_PER_USER) {
            return;
        }
        mine.sort(Comparator.comparingLong(Store.SessionRecord::created));
        for (Store.SessionRecord old : mine.subList(0, mine.size() - MAX_PER_USER)) {
            journal.dropped(old.tokenHash());
            byHash.remove(old.tokenHash());
        }
    }

    /** The username a live token belongs to. */
    Optional<String> user(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        Store.SessionRecord s = byHash.get(hash(token));
        return s == null || s.expires() <= now() ? Optional.empty() : Optional.of(s.username());
    }

    void revoke(String token) throws IOException {
        String h = hash(token);
        writeLock.lock();
        try {
            if (byHash.containsKey(h)) {
                journal.dropped(h);
                byHash.remove(h);
                journal.compactIfDue(live());
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Ends every token of {@code username} (account disabled or deleted by the admin). */
    void revokeUser(String username) throws IOException {
        writeLock.lock();
        try {
            for (Store.SessionRecord s : List.copyOf(byHash.values())) {
                if (s.username().equalsIgnoreCase(username)) {
                    journal.dropped(s.tokenHash());
                    byHash.remove(s.tokenHash());
                }
            }
            journal.compactIfDue(live());
        } finally {
            writeLock.unlock();
        }
    }

    /** Unexpired sessions; expired ones are dropped from memory on the way. */
    private List<Store.SessionRecord> live() {
        long now = now();
        byHash.values().removeIf(s -> s.expires() <= now);
        return new ArrayList<>(byHash.values());
    }

    /** Live sessions of one user, for tests and the account page. */
    int countFor(String username) {
        long now = now();
        return (int) byHash.values().stream()
                .filter(s -> s.username().equalsIgnoreCase(username) && s.expires() > now).count();
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            journal.close();
        } finally {
            writeLock.unlock();
        }
    }

    private long now() {
        return clockMillis.getAsLong() / 1000;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
