package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tracker that cannot start gives back what it had opened: no file of its data dir stays open. */
class TrackerStartFailureTest {
    @TempDir
    Path dir;

    /** Files under {@code under} that this process holds open (Linux: /proc/self/fd). */
    private static List<Path> openFilesUnder(Path under) throws IOException {
        Path real = under.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.flatMap(fd -> {
                try {
                    return Stream.of(Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    return Stream.empty(); // closed meanwhile
                }
            }).filter(p -> p.startsWith(real)).toList();
        }
    }

    @Test
    void aTakenUdpPortLeavesNoDataFileOpen() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc (Linux)");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            TrackerConfig config = TrackerConfig.defaults(dir).withHost("127.0.0.1").withPort(0).withPasswordIterations(1000);
            assertThatThrownBy(() -> TrackerServer.start(config, UdpListen.on(taken.getLocalPort())))
                    .isInstanceOf(IOException.class).hasMessageContaining("UDP port " + taken.getLocalPort());
        }
        assertThat(openFilesUnder(dir)).isEmpty();
    }
}
