package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NodeMain names its commands twice: a list for {@code --help} and a switch that builds the one
 * command asked for (building them all costs a start ~20 ms). This keeps the two in step, through
 * the program's behaviour: every command {@code --help} lists runs (its own {@code --help} exits
 * 0 with its usage), and every command class in the node package is listed. A name listed but
 * missing from the switch, or a command added to the switch (and its class) but not to the list,
 * fails here.
 */
class NodeCommandNamesIT {
    @TempDir
    Path work;

    @BeforeAll
    static void jarsAreBuilt() {
        Assumptions.assumeTrue(Files.isRegularFile(NodeProcess.home().resolve("node.jar")),
                "node.jar not built: run ./build.sh (make test does)");
    }

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

    @Test
    void aNameThatIsNotACommandExitsTwoWithOneLine() throws Exception {
        NodeProcess.Result r = NodeProcess.jar("node.jar", work, "creat", "--help");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("error: unknown command 'creat'; try --help");
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
