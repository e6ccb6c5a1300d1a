package simplebt.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import simplebt.metainfo.Metainfo;
import simplebt.metainfo.TorrentBuilder;
import simplebt.secure.EncryptionMode;
import simplebt.testing.Eventually;
import simplebt.wire.Handshake;

/**
 * A pause, resume or peer that lands while a dormant seed is between running and dormant
 * (waking with a data check, or falling asleep): the tracker still hears 'stopped' before the
 * host's close returns, the table shows the pause at once, a resume is not lost, and a peer
 * that comes before the dormant record exists wakes the seed instead of failing it.
 */
@Timeout(120)
class PauseDuringMoveTest {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    @TempDir
    Path tmp;
    private RecordingTracker tracker;
    private List<String> announces;

    @BeforeEach
    void startTracker() throws Exception {
        tracker = new RecordingTracker("d8:intervali1800e5:peers0:e");
        announces = tracker.announces();
    }

    @AfterEach
    void stopTracker() {
        tracker.close();
    }

    private long stoppedAnnounces() {
        return announces.stream().filter(q -> q.contains("event=stopped")).count();
    }

    private Metainfo torrent(String name, long seed) throws Exception {
        Path dir = tmp.resolve("seed");
        Files.createDirectories(dir);
        byte[] data = new byte[150_000];
        new Random(seed).nextBytes(data);
        Files.write(dir.resolve(name), data);
        return Metainfo.parse(new TorrentBuilder(dir.resolve(name)).pieceLength(16384)
                .tracker(tracker.url()).build(n -> { }));
    }

    private SessionHost sleepyHost() throws Exception {
        SessionHost host = SessionHost.start(HostOptions.of().withBind(LOCAL).withPort(0));
        host.sleepIdleSeeds(Duration.ofSeconds(1));
        return host;
    }

    private SessionOptions seedOptions(boolean trackers) {
        return SessionOptions.of(tmp.resolve("seed")).withBind(LOCAL).withPort(0).withUseTrackers(trackers)
                .withEncryption(EncryptionMode.PREFERRED);
    }

    private void touch(String name) throws Exception {
        Path f = tmp.resolve("seed").resolve(name);
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 3_600_000));
    }

    /**
     * A pause while a peer's wake re-checks touched files, then the host's close (serve's
     * Ctrl-C, then a halt): the tracker hears 'stopped' before close returns, and the table
     * shows PAUSED at once. Before, the pause dropped the announcer the wake carried, so close
     * found nothing to close ('stopped' came only once the check ended, after serve halted),
     * and the torrent showed CHECKING.
     */
    @Test
    void aPauseThenTheHostsCloseDuringAWakeSaysStoppedBeforeCloseReturns() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch inCheck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SessionHost host = sleepyHost();
        try {
            Metainfo meta = torrent("w.bin", 1);
            HostedTorrent t = host.add(meta, DormantSeedTest.checkHeld(seedOptions(true), armed, inCheck, release));
            assertThat(Eventually.within(Duration.ofSeconds(20), t::isDormant)).as("dormant").isTrue();
            touch("w.bin");
            armed.set(true);
            try (Socket peer = DormantSeedTest.wakingPeer(meta, host.port())) {
                assertThat(inCheck.await(20, TimeUnit.SECONDS)).as("the wake checks the touched file").isTrue();
                host.pause(t.infoHash());
                assertThat(t.state()).as("after the pause, while the check runs on").isEqualTo(HostedTorrent.State.PAUSED);
                host.close();
                assertThat(stoppedAnnounces()).as("'stopped' said when the host's close returned").isEqualTo(1);
                release.countDown();
                peer.setSoTimeout(20_000);
                // the wake's last step hangs up on its peer: nothing writes to the folder after that
                assertThat(peer.getInputStream().readAllBytes()).as("hung up on, no handshake").isEmpty();
            }
        } finally {
            release.countDown();
            host.close();
        }
    }

    /** The same while the seed falls asleep (held after its session ended, before it is dormant). */
    @Test
    void aPauseThenTheHostsCloseWhileTheSeedFallsAsleepSaysStoppedBeforeCloseReturns() throws Exception {
        WakeRaceTest.LogHold hold = WakeRaceTest.LogHold.at(": its session ended; ");
        SessionHost host = sleepyHost();
        try {
            HostedTorrent t = host.add(torrent("s.bin", 3), seedOptions(true));
            assertThat(hold.reached()).as("falls asleep").isTrue();
            host.pause(t.infoHash());
            assertThat(t.state()).as("after the pause, while it falls asleep").isEqualTo(HostedTorrent.State.PAUSED);
            host.close();
            assertThat(stoppedAnnounces()).as("'stopped' said when the host's close returned").isEqualTo(1);
        } finally {
            hold.close();
            host.close();
        }
    }

    /**
     * A peer that comes after the seed's session ended but before its dormant record is kept
     * (held at the log line between the two steps) wakes it and is served. Before, the record
     * was kept before the router's entry was swapped: the peer, handed on by the old session's
     * registration, took the record, and the woken session's launch found the router still
     * holding the old registration, so the torrent FAILED ("running on port N already").
     */
    @Test
    void aPeerThatComesBeforeTheDormantRecordIsKeptWakesTheSeedWithoutFailure() throws Exception {
        try (WakeRaceTest.LogHold hold = WakeRaceTest.LogHold.at(Dormancy.BETWEEN_REGISTRATION_AND_RECORD);
             SessionHost host = sleepyHost()) {
            Metainfo meta = torrent("f.bin", 2);
            HostedTorrent t = host.add(meta, seedOptions(false));
            assertThat(hold.reached()).as("falls asleep").isTrue();
            try (Socket peer = DormantSeedTest.wakingPeer(meta, host.port())) {
                peer.setSoTimeout(20_000);
                Thread.sleep(300); // it reaches the torrent and waits (nothing to observe from outside)
                hold.release();
                byte[] head = new DataInputStream(peer.getInputStream()).readNBytes(Handshake.LENGTH);
                assertThat(head).as("the woken seed's handshake").hasSize(Handshake.LENGTH);
            }
            assertThat(t.status().failure()).isEmpty();
        }
    }

    /**
     * A pause that takes the dormant record just before the fall-asleep ends (held after the
     * record was kept), then a resume: the torrent seeds again (dormant or running). Before,
     * the resume saw "dormant" (still falling asleep) and started nothing, the fall-asleep then
     * ended without a record, and the torrent sat with neither session nor record: PAUSED after
     * the user resumed it.
     */
    @Test
    void aResumeRightAfterAPauseThatEndedAFallAsleepIsNotLost() throws Exception {
        try (WakeRaceTest.LogHold hold = WakeRaceTest.LogHold.at(" is dormant (complete");
             SessionHost host = sleepyHost()) {
            HostedTorrent t = host.add(torrent("r.bin", 4), seedOptions(false));
            assertThat(hold.reached()).as("falls asleep").isTrue();
            host.pause(t.infoHash());
            Thread resume = Thread.ofVirtual().start(() -> {
                try {
                    host.resume(t.infoHash());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300); // the resume looks while the fall-asleep is held
            hold.release();
            resume.join(20_000);
            assertThat(resume.isAlive()).as("resume returned").isFalse();
            // the pause unrouted it: routed again only if the resume started it (a look at
            // isDormant() could still see the held fall-asleep, which ends only now)
            assertThat(Eventually.within(Duration.ofSeconds(10), () -> host.served().infoHashes().contains(t.infoHash())))
                    .as("routed again: dormant or running").isTrue();
            assertThat(t.isDormant() || t.session().isPresent()).as("dormant or running again").isTrue();
            assertThat(t.state()).isEqualTo(HostedTorrent.State.SEEDING);
        }
    }
}
