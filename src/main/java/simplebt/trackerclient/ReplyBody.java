package simplebt.trackerclient;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a tracker's reply body with two bounds: at most {@link #MAX_BYTES} (a hostile or broken
 * tracker may stream without end; nothing past the limit is read) and at most the client's
 * timeout for the whole body (the request timeout of {@code HttpClient} ends at the headers, so
 * a tracker trickling a byte now and then would otherwise hold the announcer for ever).
 */
final class ReplyBody {
    /** Far above a real reply (200 compact peers are 1.2 KB, a 100-hash scrape ~6 KB). */
    static final int MAX_BYTES = 1 << 20;

    private ReplyBody() {
    }

    static byte[] read(InputStream body, Duration timeout) throws AnnounceException {
        // Closing the stream wakes a blocked read and cancels the exchange (its connection is dropped).
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> closeQuietly(body),
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        long start = System.nanoTime();
        try (body) {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new AnnounceException("tracker reply is larger than 1 MiB; stopped reading", false);
            }
            if (System.nanoTime() - start >= timeout.toNanos()) {
                throw new AnnounceException("tracker reply took longer than " + timeout.toSeconds() + " s", false);
            }
            return bytes;
        } catch (IOException e) {
            if (System.nanoTime() - start >= timeout.toNanos()) {
                throw new AnnounceException("tracker reply took longer than " + timeout.toSeconds() + " s", false);
            }
            throw new AnnounceException("tracker reply cut short: " + e.getMessage(), e);
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing to stop a read; nothing more to do
        }
    }
}
