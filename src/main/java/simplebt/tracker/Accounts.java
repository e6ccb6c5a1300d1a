package simplebt.tracker;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * User accounts: sign-up with clear rules, password checks with throttling, and passkey
 * lookup for announces. Usernames are unique ignoring case. A sign-up is acknowledged only
 * after the account file is durable.
 */
final class Accounts {
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{2,31}");
    static final String USERNAME_RULE =
            "username must be 3-32 characters of letters, digits, '_', '-' or '.', starting with a letter or digit";
    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;

    private final Store store;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final LongSupplier clockMillis;
    private final SecureRandom random;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Account> byName = new ConcurrentHashMap<>();
    private final Map<String, Account> byPasskey = new ConcurrentHashMap<>();
    /**
     * Hash of a password nobody has, so unknown users cost as much time as known ones. Made on
     * first use, not at start-up: at 600,000 iterations it would delay the start noticeably.
     */
    private volatile String[] decoy;
    private final ReentrantLock decoyLock = new ReentrantLock();

    Accounts(Store store, PasswordHasher hasher, LoginThrottle throttle, LongSupplier clockMillis, SecureRandom random)
            throws IOException {
        this.store = store;
        this.hasher = hasher;
        this.throttle = throttle;
        this.clockMillis = clockMillis;
        this.random = random;
        for (Account a : store.loadAccounts()) {
            index(a);
        }
    }

    Account signup(String username, String password) throws ApiException, IOException {
        checkUsername(username);
        checkPassword(username, password);
        String[] saltAndHash = hasher.hashNew(password);
        writeLock.lock();
        try {
            if (byName.containsKey(key(username))) {
                throw new ApiException(409, "username '" + username + "' is taken");
            }
            // The first account runs the site (decided under the lock, so there is only one).
            Account account = new Account(username, saltAndHash[0], saltAndHash[1], hasher.iterations(),
                    newPasskey(), clockMillis.getAsLong() / 1000, false, byName.isEmpty());
            List<Account> all = new ArrayList<>(byName.values());
            all.add(account);
            store.saveAccounts(all);
            index(account);
            return account;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The account if the password matches. Refused with 429 (and nothing hashed) when this
     * account or address is checked already or failed too often lately (see
     * {@link LoginThrottle}), with 503 when the password checks are saturated ({@link HashingGate}).
     */
    Optional<Account> login(String username, String password, String address) throws ApiException {
        LoginThrottle.Attempt attempt = throttle.begin(username, address);
        LoginThrottle.Result result = LoginThrottle.Result.NOT_CHECKED;
        try {
            Account a = byName.get(key(username));
            boolean ok;
            if (a == null) {
                // Still hashed, so the reply takes as long as for a real account; but in the
                // low-priority lane: a flood of made-up names must not delay real users' logins.
                String[] d = decoy();
                hasher.verify(password, d[0], d[1], hasher.iterations(), true);
                ok = false;
            } else {
                // A disabled account costs the same hash and fails like a wrong password.
                ok = hasher.verify(password, a.salt(), a.hash(), a.iterations(), attempt.suspect())
                        && !a.disabled();
            }
            result = ok ? LoginThrottle.Result.SUCCEEDED : LoginThrottle.Result.FAILED;
            return ok ? Optional.of(a) : Optional.empty();
        } finally {
            throttle.finish(attempt, result);
        }
    }

    /**
     * Made once under a lock: when a flood of unknown names arrives at start-up, racing
     * threads would otherwise each hash a decoy, ahead of real users' logins.
     */
    private String[] decoy() throws ApiException {
        String[] d = decoy;
        if (d != null) {
            return d;
        }
        decoyLock.lock();
        try {
            if (decoy == null) {
                decoy = hasher.hashNew("decoy password " + random.nextLong());
            }
            return decoy;
        } finally {
            decoyLock.unlock();
        }
    }

    /** An enabled account by name (a disabled one is treated as gone: its tokens stop working). */
    Optional<Account> byName(String username) {
        return find(username).filter(a -> !a.disabled());
    }

    /** An account by name, enabled or not (for the admin page). */
    Optional<Account> find(String username) {
        return Optional.ofNullable(byName.get(key(username)));
    }

    Optional<Account> byPasskey(String passkey) {
        return passkey == null ? Optional.empty()
                : Optional.ofNullable(byPasskey.get(passkey)).filter(a -> !a.disabled());
    }

    int count() {
        return byName.size();
    }

    static void checkUsername(String username) throws ApiException {
        if (username == null || username.isEmpty()) {
            throw new ApiException(400, "username is required");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw new ApiException(400, USERNAME_RULE);
        }
    }

    static void checkPassword(String username, String password) throws ApiException {
        if (password == null || password.isEmpty()) {
            throw new ApiException(400, "password is required");
        }
        if (password.length() < MIN_PASSWORD) {
            throw new ApiException(400, "password must be at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw new ApiException(400, "password must be at most " + MAX_PASSWORD + " characters");
        }
        if (password.equalsIgnoreCase(username)) {
            throw new ApiException(400, "password must not be the username");
        }
        if (password.chars().distinct().count() < 4) {
            throw new ApiException(400, "password must use at least 4 different characters");
        }
    }

    /** Every account, enabled or not, oldest first. */
    List<Account> all() {
        return byName.values().stream()
                .sorted(java.util.Comparator.comparingLong(Account::created).thenComparing(Account::username)).toList();
    }

    /** A fresh passkey for {@code username}; the old one stops working for announces at once. */
    Account regeneratePasskey(String username) throws ApiException, IOException {
        return change(username, a -> a.withPasskey(newPasskey()));
    }

    /** Sets a new password (the caller has checked the old one through {@link #login}). */
    Account setPassword(String username, String password) throws ApiException, IOException {
        checkPassword(username, password);
        String[] saltAndHash = hasher.hashNew(password);
        return change(username, a -> a.withPassword(saltAndHash, hasher.iterations()));
    }

    Account setDisabled(String username, boolean disabled) throws ApiException, IOException {
        return change(username, a -> a.withDisabled(disabled));
    }

    Account makeAdmin(String username) throws ApiException, IOException {
        return change(username, Account::asAdmin);
    }

    void delete(String username) throws ApiException, IOException {
        writeLock.lock();
        try {
            Account a = find(username).orElseThrow(() -> new ApiException(404, "no user '" + username + "'"));
            List<Account> rest = new ArrayList<>(byName.values());
            rest.remove(a);
            store.saveAccounts(rest);
            byName.remove(key(a.username()));
            byPasskey.remove(a.passkey());
        } finally {
            writeLock.unlock();
        }
    }

    /** Replaces one account durably, then in the indexes (the old passkey is dropped). */
    private Account change(String username, java.util.function.UnaryOperator<Account> how)
            throws ApiException, IOException {
        writeLock.lock();
        try {
            Account old = find(username).orElseThrow(() -> new ApiException(404, "no user '" + username + "'"));
            Account updated = how.apply(old);
            List<Account> all = new ArrayList<>(byName.values());
            all.set(all.indexOf(old), updated);
            store.saveAccounts(all);
            byPasskey.remove(old.passkey());
            index(updated);
            return updated;
        } finally {
            writeLock.unlock();
        }
    }

    private String newPasskey() {
        byte[] passkey = new byte[16];
        random.nextBytes(passkey);
        return HexFormat.of().formatHex(passkey);
    }

    private void index(Account a) {
        byName.put(key(a.username()), a);
        byPasskey.put(a.passkey(), a);
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
