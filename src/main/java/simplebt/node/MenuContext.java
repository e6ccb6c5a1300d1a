package simplebt.node;

import java.io.IOException;
import java.nio.file.Path;

import simplebt.log.Log;
import simplebt.cli.Prompt;
import simplebt.secure.EncryptionMode;
import simplebt.swarm.HostOptions;
import simplebt.swarm.SessionOptions;
import simplebt.trackerclient.ApiClient;
import simplebt.log.TerminalText;

/** What every menu screen shares: the prompt, the saved config, Ctrl-C, the torrents folder. */
final class MenuContext {
    private final Prompt prompt;
    private final Path configDir;
    private final Path torrentsDir;
    private final CtrlC ctrlC;
    private NodeConfig config;

    MenuContext(Prompt prompt, Path configDir, Path torrentsDir, CtrlC ctrlC) throws IOException {
        this.prompt = prompt;
        this.configDir = configDir;
        this.torrentsDir = torrentsDir;
        this.ctrlC = ctrlC;
        this.config = NodeConfig.load(configDir);
    }

    Prompt prompt() {
        return prompt;
    }

    CtrlC ctrlC() {
        return ctrlC;
    }

    Path torrentsDir() {
        return torrentsDir;
    }

    NodeConfig config() {
        return config;
    }

    void save(NodeConfig updated) throws IOException {
        updated.save(configDir);
        config = updated;
    }

    ApiClient api() {
        return new ApiClient(config.trackerUrl(), config.loggedIn() ? config.token() : null);
    }

    /** Session options from the settings: listen port (next free one if taken), encryption. */
    SessionOptions sessionOptions(Path dataDir) {
        return SessionOptions.of(dataDir)
                .withConfigDir(configDir)
                .withPort(config.port())
                .withEncryption(encryption());
    }

    /** What the menu's torrents share (for a SessionHost): the listen port and the rate limits of the settings. */
    HostOptions hostOptions() {
        return HostOptions.of().withPort(config.port())
                .withMaxConnections(HostOptions.DEFAULT_MAX_CONNECTIONS).withUploadSlots(HostOptions.DEFAULT_UPLOAD_SLOTS)
                .withMaxUploadRate(config.maxUploadRate()).withMaxDownloadRate(config.maxDownloadRate());
    }

    /** The saved setting; a hand-edited value we do not know falls back to the default, with a warning. */
    private EncryptionMode encryption() {
        try {
            return EncryptionMode.parse(config.encryption());
        } catch (IllegalArgumentException e) {
            Log.warn("settings: " + e.getMessage() + "; using preferred");
            return EncryptionMode.PREFERRED;
        }
    }

    void say(String line) {
        prompt.out().println(TerminalText.safe(line)); // lines quote torrent names and server replies
    }
}
