package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;

/** node.jar and tracker.jar as real processes: exit codes, default paths, plain output. */
class NodeCliIT {
    @TempDir
    Path work;

    @BeforeAll
    static void jarsAreBuilt() {
        Assumptions.assumeTrue(Files.isRegularFile(NodeProcess.home().resolve("node.jar")),
                "node.jar not built: run ./build.sh (make test does)");
    }

    private Path content(String name, int length) throws Exception {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        Path p = work.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, data);
    }

    @Test
    void createWritesTorrentsNameByDefaultAndPrintsPlainLines() throws Exception {
        content("my stuff/a.bin", 200_000);
        content("my stuff/b/c.bin", 3000);

        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "create", "my stuff");

        assertThat(r.exit()).as(r.err()).isZero();
        Path torrent = work.resolve("torrents/my stuff.torrent");
        Metainfo m = Metainfo.read(torrent);
        assertThat(r.out()).contains("info hash: " + m.infoHash().hex() + "\n");
        assertThat(r.out()).doesNotContain("\r").doesNotContain("\033[");
        assertThat(r.out()).containsPattern("(?m)^hashing 100\\.0%  198 KiB / 198 KiB ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void createRefusesAnExistingOutputThenForceOverwrites() throws Exception {
        content("x.bin", 5000);
        Path out = Files.createDirectories(work.resolve("torrents")).resolve("x.bin.torrent");
        Files.writeString(out, "keep me");

        NodeProcess.Result refused = NodeProcess.jar("node.jar", work, "create", "x.bin");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.errLines().get(0)).startsWith("error: ").contains("already exists", "--force");
        assertThat(Files.readString(out)).isEqualTo("keep me");

        NodeProcess.Result forced = NodeProcess.jar("node.jar", work, "create", "x.bin", "--force", "--quiet");
        assertThat(forced.exit()).isZero();
        assertThat(Metainfo.read(out).info().totalLength()).isEqualTo(5000);
        assertThat(forced.out()).startsWith("info hash: "); // --quiet: no progress, no "created" line
    }

    @Test
    void createOfAnEmptyFolderFailsWithOneLineAndNoOutput() throws Exception {
        Files.createDirectories(work.resolve("void"));
        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "create", "void");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("error: void: folder has no data to share");
        assertThat(work.resolve("torrents")).doesNotExist();
    }

    @Test
    void helpOfNodeAndTrackerExitZero() throws Exception {
        NodeProcess.Result node = NodeProcess.jar("node.jar", work, "--help");
        assertThat(node.exit()).isZero();
        assertThat(node.out()).startsWith("usage: java -jar node.jar").contains("create", "info");

        NodeProcess.Result create = NodeProcess.jar("node.jar", work, "create", "--help");
        assertThat(create.exit()).isZero();
        assertThat(create.out()).startsWith("usage: java -jar node.jar create PATH");

        NodeProcess.Result tracker = NodeProcess.jar("tracker.jar", work, "--help");
        assertThat(tracker.exit()).isZero();
        assertThat(tracker.out()).startsWith("usage: java -jar tracker.jar");
    }

    @Test
    void unknownCommandExitsTwo() throws Exception {
        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "nonsense");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("error: unknown command 'nonsense'; try --help");
    }

    /**
     * NodeMain names its commands twice: a list for {@code --help} and a switch that builds the
     * one command asked for (building them all costs a start ~20 ms). This keeps the two in step,
     * through the program's behaviour: every command {@code --help} lists runs (its own {@code
     * --help} exits 0 with its usage), and every command class in the node package is listed. A
     * name listed but missing from the switch, or a command added to the switch (and its class)
     * but not to the list, fails here.
     */
    @Test
    void everyListedCommandRunsAndEveryCommandIsListed() throws Exception {
        NodeProcess.Result help = NodeProcess.jar("node.jar", work, "--help");
        assertThat(help.exit()).as(help.err()).isZero();
        List<String> listed = listedNames(help.out());

        for (String name : listed) {
            NodeProcess.Result own = NodeProcess.jar("node.jar", work, name, "--help");
            assertThat(own.exit()).as("node %s --help: %s", name, own.err()).isZero();
            String first = own.out().lines().findFirst().orElse("");
            assertThat(first.equals("usage: java -jar node.jar " + name) || first.startsWith("usage: java -jar node.jar " + name + " "))
                    .as("node %s --help starts with its usage: %s", name, own.out()).isTrue();
        }
        // each command is a class named after it (CreateCommand is `create`); the files, not
        // reflection, say which exist
        assertThat(listed).as("listed by --help").containsExactlyInAnyOrderElementsOf(commandClassNames());
    }

    /** The names in --help's "Commands:" block: one indented line each, name then summary. */
    private static List<String> listedNames(String help) {
        List<String> names = new ArrayList<>();
        boolean inBlock = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inBlock = true;
            } else if (inBlock && line.isBlank()) {
                break;
            } else if (inBlock) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        assertThat(names).as("commands listed in:%n%s", help).isNotEmpty();
        return names;
    }

    private static List<String> commandClassNames() throws Exception {
        Path dir = NodeProcess.home().resolve("src/main/java/simplebt/node");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith("Command.java") && !f.equals("Command.java"))
                    .map(f -> f.substring(0, f.length() - "Command.java".length()).toLowerCase(Locale.ROOT))
                    .toList();
        }
    }
}
