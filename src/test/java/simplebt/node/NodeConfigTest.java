package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWhenThereIsNoFile() throws Exception {
        NodeConfig c = NodeConfig.load(dir);
        assertThat(c.trackerUrl()).isEqualTo("http://127.0.0.1:8000");
        assertThat(c.loggedIn()).isFalse();
        assertThat(c.downloadDir()).isEqualTo("downloads");
        assertThat(c.port()).isEqualTo(6881);
        assertThat(c.encryption()).isEqualTo("preferred");
    }

    @Test
    void roundTripsEveryField() throws Exception {
        NodeConfig c = new NodeConfig("http://t:1", "tok", "alice", "/data", 7000, "required", true);
        c.save(dir);
        assertThat(NodeConfig.load(dir)).isEqualTo(c);
        assertThat(c.toString()).doesNotContain("tok,").contains("(set)");
    }

    @Test
    void missingFieldsTakeDefaults() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"trackerUrl\":\"http://x:9\"}");
        NodeConfig c = NodeConfig.load(dir);
        assertThat(c.trackerUrl()).isEqualTo("http://x:9");
        assertThat(c.port()).isEqualTo(6881);
    }

    @Test
    void brokenFileIsAClearError() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{oops");
        assertThatThrownBy(() -> NodeConfig.load(dir)).hasMessageContaining("is not valid JSON");
    }

    @Test
    void xdgConfigHomeWinsOverHome() {
        assertThat(NodeConfig.dirFor(Map.of("XDG_CONFIG_HOME", "/x/cfg"), "/home/a")).isEqualTo(Path.of("/x/cfg/simplebt"));
        assertThat(NodeConfig.dirFor(Map.of(), "/home/a")).isEqualTo(Path.of("/home/a/.config/simplebt"));
        assertThat(NodeConfig.dirFor(Map.of("XDG_CONFIG_HOME", "relative"), "/home/a"))
                .isEqualTo(Path.of("/home/a/.config/simplebt"));
    }
}
