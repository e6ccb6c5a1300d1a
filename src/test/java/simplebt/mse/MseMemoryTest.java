package simplebt.mse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import simplebt.metainfo.InfoHash;
import simplebt.mse.MseMemory.Plan;

class MseMemoryTest {
    private static final InfoHash A = new InfoHash(new byte[20]);
    private static final InfoHash B = new InfoHash(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6881);

    @Test
    void aRefusalMeansPlainForThatTorrentUntilItExpiresOrMseWorks() {
        Instant[] now = {Instant.parse("2026-12-05T05:00:00Z")};
        MseMemory m = new MseMemory(() -> now[0], Duration.ofMinutes(60), 100);
        assertThat(m.plan(A, PEER)).isEqualTo(Plan.MSE_THEN_PLAIN);
        m.refused(A, PEER);
        assertThat(m.plan(A, PEER)).isEqualTo(Plan.PLAIN);
        assertThat(m.plan(B, PEER)).as("another torrent").isEqualTo(Plan.MSE_THEN_PLAIN);
        now[0] = now[0].plus(Duration.ofMinutes(60));
        assertThat(m.plan(A, PEER)).isEqualTo(Plan.MSE_THEN_PLAIN);
        m.refused(A, PEER);
        m.worked(A, PEER);
        assertThat(m.plan(A, PEER)).isEqualTo(Plan.MSE_THEN_PLAIN);
    }

    @Test
    void theOldestRefusalGoesFirstAtCapacity() {
        MseMemory m = new MseMemory(Clock.systemUTC(), Duration.ofHours(1), 2);
        InetSocketAddress p2 = new InetSocketAddress("127.0.0.1", 2);
        InetSocketAddress p3 = new InetSocketAddress("127.0.0.1", 3);
        m.refused(A, PEER);
        m.refused(A, p2);
        m.refused(A, p3);
        assertThat(m.plan(A, PEER)).isEqualTo(Plan.MSE_THEN_PLAIN);
        assertThat(m.plan(A, p2)).isEqualTo(Plan.PLAIN);
        assertThat(m.plan(A, p3)).isEqualTo(Plan.PLAIN);
    }
}
