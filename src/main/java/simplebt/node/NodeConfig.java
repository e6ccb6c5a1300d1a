package simplebt.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import simplebt.storage.AtomicFiles;

/**
 * The node's per-user settings and login token, in {@code $XDG_CONFIG_HOME/simplebt/config.json}
 * (else {@code ~/.config/simplebt}). The file holds a bearer token, so it is mode 600 and its
 * directory 700. Missing fields take their defaults.
 */
public record NodeConfig(String trackerUrl, String token, String username, String downloadDir, int port,
                         String encryption, boolean debug, long maxUploadRate, long maxDownloadRate,
                         String directWrites) {
    public static final String DEFAULT_TRACKER = "http://127.0.0.1:8000";
    public static final String FILE_NAME = "config.json";

    /**
     * Built on first use, not when the record class loads: every node.jar start touches this
     * class (the account commands ask for {@link #defaultDir()}), and loading Gson costs about
     * 20 ms that `create` or `download --peer` never need.
     */
    private static final class Json {
        static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    }

    public NodeConfig {
        trackerUrl = trackerUrl == null || trackerUrl.isBlank() ? DEFAULT_TRACKER : trackerUrl;
        downloadDir = downloadDir == null || downloadDir.isBlank() ? "downloads" : downloadDir;
        port = port <= 0 || port > 65535 ? 6881 : port;
        encryption = encryption == null || encryption.isBlank() ? "preferred" : encryption;
        maxUploadRate = Math.max(0, maxUploadRate); // bytes/s for all torrents together; 0 = no limit
        maxDownloadRate = Math.max(0, maxDownloadRate);
        // "on" or "off" (see --direct-writes); a file written before the setting has none: on
        directWrites = directWrites == null || directWrites.isBlank() ? "on" : directWrites;
    }

    /** Without rate limits (the fields a config file written before them lacks). */
    public NodeConfig(String trackerUrl, String token, String username, String downloadDir, int port, String encryption,
                      boolean debug) {
        this(trackerUrl, token, username, downloadDir, port, encryption, debug, 0, 0, null);
    }

    public static NodeConfig defaults() {
        return new NodeConfig(null, null, null, null, 0, null, false);
    }

    /** {@code $XDG_CONFIG_HOME/simplebt}, else {@code ~/.config/simplebt}. */
    public static Path defaultDir() {
        return dirFor(System.getenv(), System.getProperty("user.home"));
    }

    static Path dirFor(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(home, ".config");
        return base.resolve("simplebt");
    }

    /** The saved config, or the defaults when there is none yet. */
    public static NodeConfig load(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return defaults();
        }
        try {
            NodeConfig c = Json.GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), NodeConfig.class);
            return c == null ? defaults() : c;
        } catch (JsonParseException e) {
            throw new IOException("config file " + file + " is not valid JSON; fix or delete it");
        }
    }

    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, "rwx------");
        Path file = dir.resolve(FILE_NAME);
        // AtomicFiles' temp file is created owner-only, so the token is never world-readable.
        AtomicFiles.write(file, (Json.GSON.toJson(this) + "\n").getBytes(StandardCharsets.UTF_8));
        restrict(file, "rw-------");
    }

    private static void restrict(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default ACLs already limit the user profile.
        }
    }

    public NodeConfig withLogin(String url, String newToken, String user) {
        return new NodeConfig(url, newToken, user, downloadDir, port, encryption, debug, maxUploadRate, maxDownloadRate, directWrites);
    }

    public NodeConfig withoutLogin() {
        return new NodeConfig(trackerUrl, null, null, downloadDir, port, encryption, debug, maxUploadRate, maxDownloadRate, directWrites);
    }

    public NodeConfig withTrackerUrl(String url) {
        return new NodeConfig(url, token, username, downloadDir, port, encryption, debug, maxUploadRate, maxDownloadRate, directWrites);
    }

    public NodeConfig withDownloadDir(String dir) {
        return new NodeConfig(trackerUrl, token, username, dir, port, encryption, debug, maxUploadRate, maxDownloadRate, directWrites);
    }

    public NodeConfig withPort(int p) {
        return new NodeConfig(trackerUrl, token, username, downloadDir, p, encryption, debug, maxUploadRate, maxDownloadRate, directWrites);
    }

    public NodeConfig withEncryption(String mode) {
        return new NodeConfig(trackerUrl, token, username, downloadDir, port, mode, debug, maxUploadRate, maxDownloadRate, directWrites);
    }

    public NodeConfig withDebug(boolean on) {
        return new NodeConfig(trackerUrl, token, username, downloadDir, port, encryption, on, maxUploadRate, maxDownloadRate, directWrites);
    }

    /** Bytes per second, 0 = no limit. */
    public NodeConfig withRates(long upload, long download) {
        return new NodeConfig(trackerUrl, token, username, downloadDir, port, encryption, debug, upload, download, directWrites);
    }

    /** "on" or "off": whole verified pieces written around the page cache (see --direct-writes). */
    public NodeConfig withDirectWrites(String value) {
        return new NodeConfig(trackerUrl, token, username, downloadDir, port, encryption, debug, maxUploadRate, maxDownloadRate, value);
    }

    public boolean loggedIn() {
        return token != null && !token.isEmpty();
    }

    /** Keeps the token out of logs and debug output. */
    @Override
    public String toString() {
        return "NodeConfig[trackerUrl=" + trackerUrl + ", username=" + username + ", token="
                + (loggedIn() ? "(set)" : "(none)") + ", downloadDir=" + downloadDir + ", port=" + port
                + ", encryption=" + encryption + ", debug=" + debug + ", maxUploadRate=" + maxUploadRate
                + ", maxDownloadRate=" + maxDownloadRate + ", directWrites=" + directWrites + "]";
    }
}
