package simplebt.tracker;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;

/** /api/signup, /api/login, /api/logout and /api/me. */
final class AccountApi {
    static final int MAX_JSON_BODY = 4096;
    private final Accounts accounts;
    private final Sessions sessions;
    private final TorrentRegistry registry;
    private final Auth auth;
    private final boolean signupOpen;
    private final SignupLimiter signupLimiter;

    AccountApi(Accounts accounts, Sessions sessions, TorrentRegistry registry, Auth auth, boolean signupOpen,
            SignupLimiter signupLimiter) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.registry = registry;
        this.auth = auth;
        this.signupOpen = signupOpen;
        this.signupLimiter = signupLimiter;
    }

    void register(ApiRouter router) {
        router.add("POST", "/api/signup", (ex, m) -> signup(ex))
                .add("POST", "/api/login", (ex, m) -> login(ex))
                .add("POST", "/api/logout", (ex, m) -> logout(ex))
                .add("GET", "/api/me", (ex, m) -> me(ex));
    }

    private ApiReply signup(HttpExchange ex) throws ApiException, IOException {
        if (!signupOpen) {
            throw new ApiException(403, "sign-up is closed on this tracker");
        }
        JsonObject body = HttpIO.jsonBody(ex, MAX_JSON_BODY);
        String username = HttpIO.field(body, "username");
        String password = HttpIO.field(body, "password");
        // Mistakes cost nothing; only a well-formed sign-up (which costs a password hash and an
        // accounts-file rewrite, whether or not the name is taken) draws on the allowance.
        Accounts.checkUsername(username);
        Accounts.checkPassword(username, password);
        long wait = signupLimiter.take(ex.getRemoteAddress().getAddress());
        if (wait > 0) {
            throw new ApiException(429, "too many signups from this address, try again in " + wait + " s", wait);
        }
        Account a = accounts.signup(username, password);
        return ApiReply.json(201, Map.of("username", a.username(), "created", Instant.ofEpochSecond(a.created()).toString()));
    }

    private ApiReply login(HttpExchange ex) throws ApiException, IOException, InterruptedException {
        JsonObject body = HttpIO.jsonBody(ex, MAX_JSON_BODY);
        String username = HttpIO.field(body, "username");
        String password = HttpIO.field(body, "password");
        if (username == null || password == null) {
            throw new ApiException(400, "username and password are required");
        }
        String address = ex.getRemoteAddress().getAddress().getHostAddress();
        Account a = accounts.login(username, password, address)
                .orElseThrow(() -> new ApiException(401, "wrong username or password"));
        Sessions.Issued issued = sessions.create(a.username());
        return ApiReply.ok(Map.of("token", issued.token(), "username", a.username(),
                "expires", Instant.ofEpochSecond(issued.expires()).toString()));
    }

    private ApiReply logout(HttpExchange ex) throws ApiException, IOException {
        auth.require(ex);
        sessions.revoke(Auth.token(ex).orElseThrow());
        return ApiReply.ok(Map.of("ok", true));
    }

    private ApiReply me(HttpExchange ex) throws ApiException {
        Account a = auth.require(ex);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", a.username());
        out.put("passkey", a.passkey());
        out.put("created", Instant.ofEpochSecond(a.created()).toString());
        out.put("uploads", registry.uploadsBy(a.username()));
        out.put("announceUrl", TorrentApi.announceUrl(ex, a.passkey()));
        return ApiReply.ok(out);
    }
}
