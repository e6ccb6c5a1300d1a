package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.swarm.SessionOptions;

/**
 * {@code --direct-writes on|off} of the commands that run torrents, and the menu's setting
 * behind it. That the choice reaches the disk: simplebt.swarm.DirectWritesSessionTest.
 */
class DirectWritesOptionTest {
    @TempDir
    Path tmp;

    private SessionOptions parse(NodeConfig settings, String... argv) throws UsageException {
        Args args = Args.parse(List.of(argv), SessionArgs.valued("out"), SessionArgs.flags());
        return SessionArgs.options(args, tmp, settings);
    }

    @Test
    void onByDefaultAndTheFlagSaysWhich() throws Exception {
        assertThat(parse(NodeConfig.defaults(), "x.torrent").directWrites()).isTrue();
        assertThat(parse(NodeConfig.defaults(), "x.torrent", "--direct-writes", "off").directWrites()).isFalse();
        assertThat(parse(NodeConfig.defaults(), "x.torrent", "--direct-writes=on").directWrites()).isTrue();
    }

    @Test
    void theSettingAppliesUnlessTheFlagSaysOtherwise() throws Exception {
        NodeConfig off = NodeConfig.defaults().withDirectWrites("off");
        assertThat(parse(off, "x.torrent").directWrites()).isFalse();
        assertThat(parse(off, "x.torrent", "--direct-writes", "on").directWrites()).as("the flag beats the setting").isTrue();
        assertThat(parse(NodeConfig.defaults().withDirectWrites("sometimes"), "x.torrent").directWrites())
                .as("a hand-edited value we do not know: the default").isTrue();
    }

    @Test
    void aBadValueIsAUsageError() {
        assertThatThrownBy(() -> parse(NodeConfig.defaults(), "x.torrent", "--direct-writes", "yes"))
                .isInstanceOf(UsageException.class).hasMessage("--direct-writes must be on or off, got 'yes'");
        assertThatThrownBy(() -> parse(NodeConfig.defaults(), "x.torrent", "--direct-writes"))
                .isInstanceOf(UsageException.class).hasMessageContaining("needs a value");
    }

    /** What a user sees: one line and status 2, before anything is read or written. */
    @Test
    void everyCommandThatRunsTorrentsSaysSoInOneLineAndExits2() throws Exception {
        Path torrent = Files.writeString(tmp.resolve("x.torrent"), "not read: the options come first");
        for (List<String> argv : List.of(List.of("download", torrent.toString(), "--out", tmp.resolve("out").toString()),
                List.of("seed", torrent.toString()), List.of("serve"))) {
            List<String> bad = new java.util.ArrayList<>(argv);
            bad.addAll(List.of("--direct-writes", "fast"));
            NodeCommandsTest.Result r = NodeCommandsTest.run(bad.toArray(String[]::new));
            assertThat(r.exit()).as(argv.get(0)).isEqualTo(2);
            NodeCommandsTest.assertOneErrorLine(r, "--direct-writes must be on or off, got 'fast'",
                    "node " + argv.get(0) + " --help");
        }
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void theHelpOfEachCommandThatRunsTorrentsShowsIt() {
        for (String name : List.of("download", "seed", "serve")) {
            assertThat(NodeMain.command(name).usage()).as(name).contains("--direct-writes on|off", "slow");
        }
    }

    @Test
    void theSettingIsSavedAndAnOldConfigFileMeansOn() throws Exception {
        NodeConfig.defaults().withDirectWrites("off").save(tmp);
        assertThat(NodeConfig.load(tmp).directWrites()).isEqualTo("off");
        Files.writeString(tmp.resolve(NodeConfig.FILE_NAME), "{\"port\": 7000}"); // written before the setting
        assertThat(NodeConfig.load(tmp).directWrites()).isEqualTo("on");
    }
}
