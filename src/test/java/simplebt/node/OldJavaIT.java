package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import simplebt.launcher.JavaCheck;

/**
 * {@code java -jar node.jar} and {@code java -jar tracker.jar} with a Java 17 first on PATH, as
 * on this machine: one line naming the Java needed and a newer one found here, exit status 1;
 * and the command in that line really runs the jar.
 */
class OldJavaIT {
    private static final Pattern FOUND = Pattern.compile(
            "^(node|tracker)\\.jar needs Java 21 or newer; this is Java 17\\. Found Java (\\d+): (\\S+) -jar (\\S+) --help$");

    static Path java17;

    @BeforeAll
    static void findJava17() throws IOException {
        java17 = findJava(17);
        Assumptions.assumeTrue(java17 != null, "no Java 17 under /usr/lib/jvm: cannot test the old-Java message");
    }

    @Test
    void nodeJarOnJava17SaysWhichJavaToUse() throws Exception {
        checkJar("node.jar", "usage: java -jar node.jar");
    }

    @Test
    void trackerJarOnJava17SaysWhichJavaToUse() throws Exception {
        checkJar("tracker.jar", "usage: java -jar tracker.jar");
    }

    private void checkJar(String jar, String usageStart) throws Exception {
        Path home = NodeProcess.home();
        NodeProcess.Result old = run(List.of("java", "-jar", home.resolve(jar).toString(), "--help"), home);

        assertThat(old.exit()).as(old.err()).isEqualTo(1);
        assertThat(old.out()).isEmpty();
        assertThat(old.err().lines().toList()).as(old.err()).hasSize(1);
        assertThat(old.err()).doesNotContain("LinkageError");
        Matcher m = FOUND.matcher(old.err().strip());
        assertThat(m.matches()).as(old.err()).isTrue();
        assertThat(Integer.parseInt(m.group(2))).isGreaterThanOrEqualTo(21);

        // The suggested command, as a user would paste it (run from the same folder).
        NodeProcess.Result suggested = run(List.of(m.group(3), "-jar", m.group(4), "--help"), home);
        assertThat(suggested.exit()).as(suggested.err()).isZero();
        assertThat(suggested.out()).startsWith(usageStart);
    }

    /** Runs CMD with Java 17's bin first on PATH and no JAVA_HOME (empty), as a newcomer's shell. */
    private static NodeProcess.Result run(List<String> cmd, Path dir) throws Exception {
        String path = java17.getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return NodeProcess.run(cmd, dir, Map.of("JAVA_HOME", "", "PATH", path), "");
    }

    /** bin/java of an installation under /usr/lib/jvm whose release file says FEATURE. */
    private static Path findJava(int feature) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        List<Path> homes = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvms)) {
            dirs.forEach(homes::add);
        }
        for (Path home : homes.stream().sorted().toList()) {
            Path java = home.resolve("bin/java");
            if (Files.isExecutable(java) && JavaCheck.releaseMajor(home) == feature) {
                return java;
            }
        }
        return null;
    }
}
