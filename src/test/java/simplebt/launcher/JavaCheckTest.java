package simplebt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCheckTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheFeatureVersionOfOldAndNewSpecVersions() {
        assertThat(JavaCheck.major("1.8")).isEqualTo(8);
        assertThat(JavaCheck.major("17")).isEqualTo(17);
        assertThat(JavaCheck.major("25")).isEqualTo(25);
        assertThat(JavaCheck.major("junk")).isZero();
    }

    @Test
    void readsTheReleaseFileOfAnInstallation() throws Exception {
        Path jdk8 = Files.createDirectories(tmp.resolve("jdk8"));
        Files.writeString(jdk8.resolve("release"), "JAVA_VENDOR=\"x\"\nJAVA_VERSION=\"1.8.0_402\"\n");
        Path jdk25 = Files.createDirectories(tmp.resolve("jdk25"));
        Files.writeString(jdk25.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        Path bare = Files.createDirectories(tmp.resolve("bare"));

        assertThat(JavaCheck.releaseMajor(jdk8)).isEqualTo(8);
        assertThat(JavaCheck.releaseMajor(jdk25)).isEqualTo(25);
        assertThat(JavaCheck.releaseMajor(bare)).isZero();
    }

    @Test
    void namesTheJavaFoundAndACommandToPaste() {
        JavaCheck.Installed found = new JavaCheck.Installed(Path.of("/usr/lib/jvm/jdk-25/bin/java"), 25);

        String line = JavaCheck.message("node.jar", 17, found, "node.jar", new String[] {"create", "my file"});

        assertThat(line).isEqualTo("node.jar needs Java 21 or newer; this is Java 17. Found Java 25: "
                + "/usr/lib/jvm/jdk-25/bin/java -jar node.jar create 'my file'");
    }

    @Test
    void saysWhereItLookedWhenNothingSuitableIsInstalled() {
        String line = JavaCheck.message("tracker.jar", 11, null, "tracker.jar", new String[0]);

        assertThat(line).startsWith("tracker.jar needs Java 21 or newer; this is Java 11. No Java 21+ found in JAVA_HOME, PATH or /usr/lib/jvm;")
                .doesNotContain("\n");
    }

    @Test
    void quotesWordsTheShellWouldSplit() {
        assertThat(JavaCheck.quote("--piece-length")).isEqualTo("--piece-length");
        assertThat(JavaCheck.quote("a b")).isEqualTo("'a b'");
        assertThat(JavaCheck.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(JavaCheck.quote("")).isEqualTo("''");
    }
}
