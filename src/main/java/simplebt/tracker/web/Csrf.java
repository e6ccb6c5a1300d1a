package simplebt.tracker.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.random.RandomGenerator;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens for every form: HMAC-SHA256 under a key made at start-up over the browser's session
 * cookie (or, before login, its visitor cookie). A page from this site carries the token; a
 * form another site makes a browser post cannot, since it can read neither the cookie nor our
 * pages. Nothing is stored per visitor. A restart makes open forms stale (they say so).
 */
final class Csrf {
    private final SecretKeySpec key;

    Csrf(RandomGenerator random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    String token(String cookieValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(("csrf\0" + cookieValue).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** Constant-time check of a posted token against the cookie it must belong to. */
    boolean valid(String cookieValue, String posted) {
        if (cookieValue == null || posted == null) {
            return false;
        }
        return MessageDigest.isEqual(token(cookieValue).getBytes(StandardCharsets.UTF_8),
                posted.getBytes(StandardCharsets.UTF_8));
    }
}
