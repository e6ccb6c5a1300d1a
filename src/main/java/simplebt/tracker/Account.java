package simplebt.tracker;

/**
 * A user as stored: the PBKDF2 salt and hash (base64) with their iteration count, the passkey
 * that goes into announce URLs, and when the account was made (epoch seconds). {@code admin}
 * marks the first account ever made (it runs the web site's admin page); a {@code disabled}
 * account cannot log in, announce or use its tokens. Both are false in files written before
 * they existed.
 */
record Account(String username, String salt, String hash, int iterations, String passkey, long created,
               boolean disabled, boolean admin) {
    Account withPasskey(String key) {
        return new Account(username, salt, hash, iterations, key, created, disabled, admin);
    }

    Account withPassword(String[] saltAndHash, int rounds) {
        return new Account(username, saltAndHash[0], saltAndHash[1], rounds, passkey, created, disabled, admin);
    }

    Account asAdmin() {
        return new Account(username, salt, hash, iterations, passkey, created, disabled, true);
    }

    Account withDisabled(boolean off) {
        return new Account(username, salt, hash, iterations, passkey, created, off, admin);
    }
}
