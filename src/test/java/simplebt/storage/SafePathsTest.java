package simplebt.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafePathsTest {
    @TempDir
    Path tmp;

    /**
     * Pieces of one folder are stored by several threads at once (two peers' readers, the piece
     * writer): the first write into a new folder made it, a second one racing it failed with
     * FileAlreadyExistsException and the download stopped with "cannot write to" (MagnetIT).
     */
    @Test
    void threadsMakingTheSameNewFoldersAtOnceAllSucceed() throws Exception {
        int threads = 4;
        AtomicInteger failed = new AtomicInteger();
        for (int round = 0; round < 300; round++) {
            Path root = tmp.resolve("r" + round);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Path file = root.resolve("set/a/b/file" + t);
                started.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        SafePaths.createParents(root, file);
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }));
            }
            for (Thread t : started) {
                t.join();
            }
        }
        assertThat(failed).as("threads that failed to make a folder another thread had just made").hasValue(0);
        assertThat(tmp.resolve("r0/set/a/b")).isDirectory();
    }

    @Test
    void aFileWhereAFolderShouldBeIsStillAnError() throws Exception {
        Files.createDirectories(tmp.resolve("root"));
        Files.writeString(tmp.resolve("root/set"), "a file, not a folder");
        assertThatThrownBy(() -> SafePaths.createParents(tmp.resolve("root"), tmp.resolve("root/set/x")))
                .isInstanceOf(IOException.class);
    }
}
