package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.InfoHash;
import simplebt.secure.SwarmKey;
import simplebt.trackerclient.SwarmSecretStore;

/** Which key secure connections use, and when (issue 14): the rules of {@link SwarmKeyHolder}. */
class SwarmKeyHolderTest {
    private static final InfoHash HASH = InfoHash.fromHex("12".repeat(20));
    private static final Duration NO_WAIT = Duration.ofMillis(1);

    @TempDir
    Path config;

    private static byte[] secret(int fill) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) fill);
        return s;
    }

    private SwarmKeyHolder holder(boolean isPrivate) {
        return new SwarmKeyHolder(HASH, isPrivate, Optional.of(new SwarmSecretStore(config)));
    }

    @Test
    void aSavedSecretWaitsForTheTrackerAndGivesWayToItsNewOne() throws Exception {
        new SwarmSecretStore(config).save(HASH, secret(1));
        SwarmKeyHolder h = holder(true);
        h.start(true);
        assertThat(h.await(NO_WAIT)).as("not before the tracker had its chance").isEmpty();
        h.onReply(Optional.of(secret(2))); // the tracker's data was reset: a new secret
        assertThat(h.await(NO_WAIT)).contains(SwarmKey.withSecret(HASH, secret(2)));
        assertThat(new SwarmSecretStore(config).load(HASH)).hasValueSatisfying(s -> assertThat(s).isEqualTo(secret(2)));
    }

    @Test
    void aSavedSecretCarriesATrackerOutage() throws Exception {
        new SwarmSecretStore(config).save(HASH, secret(1));
        SwarmKeyHolder h = holder(true);
        h.start(true);
        h.onTrackerFailure("tracker unreachable: java.net.ConnectException");
        assertThat(h.await(NO_WAIT)).contains(SwarmKey.withSecret(HASH, secret(1)));
        assertThat(h.waitingFor()).isEmpty();
    }

    @Test
    void aPrivateTorrentWithNothingSavedWaitsThroughFailures() throws Exception {
        SwarmKeyHolder h = holder(true);
        h.start(true);
        h.onTrackerFailure("tracker unreachable: java.net.ConnectException");
        assertThat(h.await(NO_WAIT)).isEmpty();
        assertThat(h.waitingFor()).contains("waiting for the tracker's swarm secret; last announce: tracker unreachable: java.net.ConnectException");
    }

    @Test
    void aTorrentThatIsNotPrivateGoesOnWithTheInfoHashWhenTheTrackerFails() throws Exception {
        SwarmKeyHolder h = holder(false);
        h.start(true);
        assertThat(h.await(NO_WAIT)).isEmpty();
        h.onTrackerFailure("tracker unreachable");
        assertThat(h.await(NO_WAIT)).contains(SwarmKey.open(HASH));
        h.onReply(Optional.of(secret(3))); // the tracker is back: its secret from now on
        assertThat(h.await(NO_WAIT)).contains(SwarmKey.withSecret(HASH, secret(3)));
    }

    @Test
    void aTrackerThatGivesNoSecretIsNotOursAndTheInfoHashKeys() throws Exception {
        SwarmKeyHolder h = holder(true);
        h.start(true);
        h.onReply(Optional.empty());
        assertThat(h.await(NO_WAIT)).contains(SwarmKey.open(HASH));
        assertThat(new SwarmSecretStore(config).load(HASH)).isEmpty();
    }

    /**
     * A UDP tracker (BEP 15 has no field for the secret) or a foreign tier answering for a torrent
     * whose secret our tracker gave earlier: the reply without a secret does not make the info
     * hash alone the key, the saved secret does (else the session keys differently from the
     * swarm's other members, and anyone with the .torrent could join the secure channel).
     */
    @Test
    void aReplyWithoutASecretDoesNotOverrideASavedOne() throws Exception {
        new SwarmSecretStore(config).save(HASH, secret(1));
        SwarmKeyHolder h = holder(true);
        h.start(true);
        h.onReply(Optional.empty());
        assertThat(h.await(NO_WAIT)).contains(SwarmKey.withSecret(HASH, secret(1)));
    }
}
