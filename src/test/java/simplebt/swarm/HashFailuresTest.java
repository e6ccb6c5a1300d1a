package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HashFailuresTest {
    private static HashFailures.Sender sender(int n) {
        byte[] id = new byte[20];
        id[0] = (byte) n;
        return new HashFailures.Sender(HashFailures.key(id), InetAddress.getLoopbackAddress());
    }

    @Test
    void onlyTheSenderOfTheBadBlockIsBlamedOnceThePieceVerifies() {
        byte[] good = new byte[3 * 16384 + 100];
        new Random(3).nextBytes(good);
        byte[] bad = good.clone();
        bad[16384 + 5] ^= 1; // block 1 is wrong
        HashFailures f = new HashFailures();
        f.failed(7, bad, bad.length, new HashFailures.Sender[] {sender(1), sender(2), sender(1), null});
        assertThat(f.verified(8, good, good.length)).isEmpty();
        assertThat(f.verified(7, good, good.length)).extracting(HashFailures.Sender::key).containsExactly(sender(2).key());
        assertThat(f.verified(7, good, good.length)).as("forgotten once settled").isEmpty();
    }

    @Test
    void everyEarlierAttemptCounts() {
        byte[] good = new byte[2 * 16384];
        new Random(4).nextBytes(good);
        byte[] bad0 = good.clone();
        bad0[0] ^= 1;
        byte[] bad1 = good.clone();
        bad1[16384] ^= 1;
        HashFailures f = new HashFailures();
        f.failed(0, bad0, good.length, new HashFailures.Sender[] {sender(3), sender(4)});
        f.failed(0, bad1, good.length, new HashFailures.Sender[] {sender(4), sender(5)});
        assertThat(f.verified(0, good, good.length)).extracting(HashFailures.Sender::key)
                .containsExactlyInAnyOrder(sender(3).key(), sender(5).key());
    }
}
