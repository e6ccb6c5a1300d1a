package simplebt.tracker;

import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

/** Bearer-token authentication for /api: {@code Authorization: Bearer <token>}. */
final class Auth {
    private final Sessions sessions;
    private final Accounts accounts;

    Auth(Sessions sessions, Accounts accounts) {
        this.sessions = sessions;
        this.accounts = accounts;
    }

    /** The caller's account, or 401 with a message saying what to do. */
    Account require(HttpExchange ex) throws ApiException {
        String token = token(ex).orElseThrow(() -> new ApiException(401, "not logged in: send Authorization: Bearer <token> from /api/login"));
        return sessions.user(token).flatMap(accounts::byName)
                .orElseThrow(() -> new ApiException(401, "login token is invalid or expired: log in again"));
    }

    static Optional<String> token(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
