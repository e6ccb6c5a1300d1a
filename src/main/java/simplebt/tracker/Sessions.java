package simplebt.tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Login tokens: 32 random bytes, handed out once; only their SHA-256 is kept (in memory and
 * on disk), so a leaked data directory holds no usable token. Tokens expire.
 */
final class Sessions {
    static final long DEFAULT_TTL_SECONDS = 30L * 24 * 3600;
    private final Store store;
    private final LongSupplier clockMillis;
    private final SecureRandom random;
    private final long ttlSeconds;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Store.SessionRecord> byHash = new ConcurrentHashMap<>();

    /** A new token and when it expires (epoch seconds). */
    record Issued(String token, long expires) {
    }

    Sessions(Store store, LongSupplier clockMillis, SecureRandom random, long ttlSeconds) throws IOException {
        this.store = store;
        this.clockMillis = clockMillis;
        this.random = random;
        this.ttlSeconds = ttlSeconds;
        for (Store.SessionRecord s : store.loadSessions()) {
            byHash.put(s.tokenHash(), s);
        }
    }

    Issued create(String username) throws IOException {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long expires = now() + ttlSeconds;
        Store.SessionRecord record = new Store.SessionRecord(hash(token), username, expires);
        writeLock.lock();
        try {
            List<Store.SessionRecord> all = live();
            all.add(record);
            store.saveSessions(all);
            byHash.put(record.tokenHash(), record);
        } finally {
            writeLock.unlock();
        }
        return new Issued(token, expires);
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
                List<Store.SessionRecord> all = live();
                all.removeIf(s -> s.tokenHash().equals(h));
                store.saveSessions(all);
                byHash.remove(h);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Ends every token of {@code username} (account disabled or deleted by the admin). */
    void revokeUser(String username) throws IOException {
        writeLock.lock();
        try {
            if (byHash.values().stream().anyMatch(s -> s.username().equalsIgnoreCase(username))) {
                List<Store.SessionRecord> all = live();
                all.removeIf(s -> s.username().equalsIgnoreCase(username));
                store.saveSessions(all);
                byHash.values().removeIf(s -> s.username().equalsIgnoreCase(username));
            }
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
