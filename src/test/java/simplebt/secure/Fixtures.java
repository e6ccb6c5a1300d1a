package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import simplebt.metainfo.InfoHash;
import simplebt.secure.SecureChannelException.Kind;

/** Keys, messages and helpers shared by the secure channel tests. */
final class Fixtures {
    static final SwarmKey OPEN = SwarmKey.open(hash(1));
    static final SwarmKey PRIVATE = SwarmKey.withSecret(hash(2), secret(2));
    static final SwarmKey OTHER = SwarmKey.withSecret(hash(3), secret(3));

    private Fixtures() {
    }

    static void assertKind(Throwable failure, Kind kind) {
        assertThat(failure).isInstanceOfSatisfying(SecureChannelException.class, e -> assertThat(e.kind()).isEqualTo(kind));
    }

    static CompletableFuture<Void> writeInChunks(OutputStream out, byte[] data, long seed) {
        return CompletableFuture.runAsync(() -> {
            Random random = new Random(seed);
            try {
                for (int at = 0; at < data.length;) {
                    int n = Math.min(data.length - at, 1 + random.nextInt(40_000));
                    out.write(data, at, n);
                    at += n;
                }
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    /** BEP 3: pstrlen 19, "BitTorrent protocol", 8 reserved, info hash, peer id. */
    static byte[] plainHandshake(InfoHash infoHash, char peer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(19);
        out.writeBytes("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[8]);
        out.writeBytes(infoHash.bytes());
        out.writeBytes(("-SB0001-" + String.valueOf(peer).repeat(12)).getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static InfoHash hash(int seed) {
        return new InfoHash(random(20, seed));
    }

    static byte[] secret(int seed) {
        return random(32, 1000 + seed);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
