package simplebt.secure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import simplebt.metainfo.InfoHash;
import simplebt.secure.PeerSecurityMemory.Plan;
import simplebt.secure.SecureChannelException.Kind;

class PeerSecurityMemoryTest {
    private static final InfoHash TORRENT = Fixtures.hash(1);
    private static final InfoHash OTHER_TORRENT = Fixtures.hash(2);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6881);
    private static final InetSocketAddress SAME_IP_OTHER_PORT = new InetSocketAddress("127.0.0.1", 51234);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress("127.0.0.2", 6881);

    private final MutableClock clock = new MutableClock();
    private final PeerSecurityMemory memory = new PeerSecurityMemory(clock, Duration.ofMinutes(30), 100);

    @Test
    void unknownPeersFollowTheMode() {
        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.REQUIRED)).isEqualTo(Plan.SECURE_ONLY);
        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.OFF)).isEqualTo(Plan.PLAIN);
    }

    @Test
    void aPeerThatDidNotAnswerIsRememberedAsPlain() {
        memory.secureFailed(TORRENT, PEER, new SecureChannelException(Kind.NO_ANSWER, "silent"));

        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.PLAIN);
        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.REQUIRED)).isEqualTo(Plan.SKIP);
        assertThat(memory.plan(TORRENT, OTHER_PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
        assertThat(memory.plan(OTHER_TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
    }

    @Test
    void plainAnswerIsForgottenAfterAWhile() {
        memory.markPlain(TORRENT, PEER);
        clock.advance(Duration.ofMinutes(29));
        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.PLAIN);

        clock.advance(Duration.ofMinutes(1));
        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
    }

    @Test
    void aSecureSuccessClearsThePlainMark() {
        memory.markPlain(TORRENT, PEER);
        memory.secureWorked(TORRENT, PEER);

        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
    }

    @Test
    void authenticationFailureMakesTheIpUntrustedForThatTorrentOnly() {
        memory.secureFailed(TORRENT, PEER, new SecureChannelException(Kind.AUTH_FAILED, "bad tag"));
        clock.advance(Duration.ofDays(7));

        for (EncryptionMode mode : EncryptionMode.values()) {
            assertThat(memory.plan(TORRENT, PEER, mode)).as("%s", mode).isEqualTo(Plan.SKIP);
            assertThat(memory.plan(TORRENT, SAME_IP_OTHER_PORT, mode)).isEqualTo(Plan.SKIP);
        }
        assertThat(memory.trusted(TORRENT, PEER.getAddress())).isFalse();
        assertThat(memory.trusted(OTHER_TORRENT, PEER.getAddress())).isTrue();
        assertThat(memory.plan(OTHER_TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
    }

    @Test
    void failuresThatSayNothingAboutThePeerChangeNothing() {
        for (Kind kind : new Kind[] {Kind.INCOMPLETE, Kind.RECORD_LIMIT, Kind.UNKNOWN_TORRENT, Kind.NOT_SECURE}) {
            memory.secureFailed(TORRENT, PEER, new SecureChannelException(kind, "x"));
        }

        assertThat(memory.plan(TORRENT, PEER, EncryptionMode.PREFERRED)).isEqualTo(Plan.SECURE_THEN_PLAIN);
        assertThat(memory.trusted(TORRENT, PEER.getAddress())).isTrue();
    }

    @Test
    void memoryIsBoundedOldestFirst() {
        PeerSecurityMemory small = new PeerSecurityMemory(clock, Duration.ofHours(1), 2);
        small.markPlain(TORRENT, new InetSocketAddress("127.0.0.1", 1));
        small.markPlain(TORRENT, new InetSocketAddress("127.0.0.1", 2));
        small.markPlain(TORRENT, new InetSocketAddress("127.0.0.1", 3));

        assertThat(small.plan(TORRENT, new InetSocketAddress("127.0.0.1", 1), EncryptionMode.PREFERRED))
                .isEqualTo(Plan.SECURE_THEN_PLAIN);
        assertThat(small.plan(TORRENT, new InetSocketAddress("127.0.0.1", 3), EncryptionMode.PREFERRED))
                .isEqualTo(Plan.PLAIN);
    }

    @Test
    void encryptionModeParsesTheCliWordsAndSaysWhatItAccepts() {
        assertThat(EncryptionMode.parse("required")).isEqualTo(EncryptionMode.REQUIRED);
        assertThat(EncryptionMode.parse("Preferred")).isEqualTo(EncryptionMode.PREFERRED);
        assertThat(EncryptionMode.parse("off")).isEqualTo(EncryptionMode.OFF);
        assertThatThrownBy(() -> EncryptionMode.parse("on"))
                .hasMessage("--encryption must be required, preferred or off, not 'on'");
        assertThat(EncryptionMode.REQUIRED.acceptsPlain()).isFalse();
        assertThat(EncryptionMode.OFF.acceptsSecure()).isFalse();
        assertThat(EncryptionMode.PREFERRED.acceptsPlain()).isTrue();
        assertThat(EncryptionMode.PREFERRED.acceptsSecure()).isTrue();
        assertThat(EncryptionMode.PREFERRED.cliName()).isEqualTo("preferred");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
