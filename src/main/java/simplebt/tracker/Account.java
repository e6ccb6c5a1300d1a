package simplebt.tracker;

/**
 * A user as stored: the PBKDF2 salt and hash (base64) with their iteration count, the passkey
 * that goes into announce URLs, and when the account was made (epoch seconds).
 */
record Account(String username, String salt, String hash, int iterations, String passkey, long created) {
}
