package simplebt.swarm;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import simplebt.log.Log;
import simplebt.metainfo.InfoHash;
import simplebt.secure.SwarmKey;
import simplebt.trackerclient.SwarmSecretStore;

/**
 * The torrent's {@link SwarmKey} once it is known. With our tracker, the swarm secret
 * ({@code sbt secret}) keys the secure channel; until it is known no secure connection is made or
 * accepted, or an outsider who knows only the info hash could join (issue 7). It is known:
 * <ul>
 * <li>with the first announce reply; a reply without one means the tracker is not ours (or a
 *     UDP tracker, which has no field for it), and the info hash alone keys the channel, unless a
 *     secret saved from our tracker's earlier reply exists: that one keys it;
 * <li>when an announce round fails and an earlier reply's secret was saved
 *     ({@link SwarmSecretStore}): a tracker outage or a restart does not block secure links
 *     (issue 14). The saved secret is not used before the tracker had its chance, since the
 *     tracker may have a new one (a stale key costs a failed greeting, which {@code preferred}
 *     answers by going plain with that peer for an hour);
 * <li>for a torrent without the private flag and nothing saved, also when an announce round
 *     fails: such a torrent may be shared anywhere, so an outage must not hold up its secure links;
 * <li>without trackers: the info hash alone from the start.
 * </ul>
 * For a private torrent with no saved secret and a tracker that does not answer, it stays
 * unknown: {@link #waitingFor()} says so, and the first dial or accept that gives up says it once.
 *
 * <p>Threads: {@code key}, {@code secret} and {@code lastTrackerError} are written by the
 * announcer thread (and the session's start) and read by dial and accept threads; all volatile.
 */
final class SwarmKeyHolder {
    private final InfoHash infoHash;
    private final boolean privateTorrent;
    private final Optional<SwarmSecretStore> store;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final AtomicBoolean waitReported = new AtomicBoolean();
    private volatile SwarmKey key;
    private volatile Optional<byte[]> secret = Optional.empty();
    private volatile Optional<byte[]> saved = Optional.empty();
    private volatile Optional<String> lastTrackerError = Optional.empty();

    SwarmKeyHolder(InfoHash infoHash, boolean privateTorrent, Optional<SwarmSecretStore> store) {
        this.infoHash = infoHash;
        this.privateTorrent = privateTorrent;
        this.store = store;
    }

    /** The session starts: without trackers the info hash alone is the key; else a saved secret waits in reserve. */
    void start(boolean announcing) {
        if (!announcing) {
            settle(SwarmKey.open(infoHash));
            return;
        }
        saved = store.flatMap(s -> s.load(infoHash));
    }

    /** An announce reply: its secret (kept, and saved when new), or none (a tracker that is not ours). */
    void onReply(Optional<byte[]> fromTracker) {
        lastTrackerError = Optional.empty();
        if (fromTracker.isPresent()) {
            byte[] received = fromTracker.get();
            boolean isNew = secret.map(s -> !Arrays.equals(s, received)).orElse(true);
            useSecret(received);
            if (isNew && saved.map(s -> !Arrays.equals(s, received)).orElse(true)) {
                save(received);
            }
        } else if (secret.isEmpty() && saved.isPresent()) {
            // A UDP tracker (BEP 15 has no field for it) or a foreign tier answered: that does not
            // undo the secret our tracker gave for this torrent before.
            useSecret(saved.get());
        } else if (secret.isEmpty()) {
            settle(SwarmKey.open(infoHash));
        }
    }

    /** No tracker answered: a saved secret applies; a torrent that is not private goes on without one. */
    void onTrackerFailure(String error) {
        lastTrackerError = Optional.of(error);
        if (key != null) {
            return;
        }
        if (saved.isPresent()) {
            Log.debug("secure: tracker failed (" + error + "); using the swarm secret saved from an earlier announce");
            useSecret(saved.get());
        } else if (!privateTorrent) {
            Log.debug("secure: tracker failed (" + error + "); the torrent is not private, so the info hash alone keys the channel");
            settle(SwarmKey.open(infoHash));
        }
    }

    /** The session is closing: stop anyone waiting in {@link #await}. */
    void abandon() {
        settled.countDown();
    }

    /** The key, waiting up to {@code timeout}; empty (and said once) if it is still unknown. */
    Optional<SwarmKey> await(Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        SwarmKey current = key;
        // only once an announce failed: a tracker that is merely slow to answer is not worth a warning
        if (current == null && lastTrackerError.isPresent() && waitReported.compareAndSet(false, true)) {
            waitingFor().ifPresent(w -> Log.warn("secure connections are " + w + ". They start when it arrives, and"
                    + " it is kept (in the config dir) so that later outages do not block them."));
        }
        return Optional.ofNullable(current);
    }

    /** The key if it is known now, without waiting. */
    Optional<SwarmKey> current() {
        return Optional.ofNullable(key);
    }

    /** What secure connections wait for, while they wait: short, for a progress line. */
    Optional<String> waitingFor() {
        if (key != null) {
            return Optional.empty();
        }
        return Optional.of("waiting for the tracker's swarm secret" + lastTrackerError.map(e -> "; last announce: " + e).orElse(""));
    }

    Optional<byte[]> secret() {
        return secret.map(byte[]::clone);
    }

    private void useSecret(byte[] value) {
        secret = Optional.of(value.clone());
        boolean wasWaiting = key == null && waitReported.get();
        settle(SwarmKey.withSecret(infoHash, value));
        if (wasWaiting) {
            Log.info("swarm secret received; secure connections can start");
        }
    }

    private void settle(SwarmKey value) {
        key = value;
        settled.countDown();
    }

    private void save(byte[] value) {
        store.ifPresent(s -> {
            try {
                s.save(infoHash, value);
            } catch (IOException e) {
                Log.warn("cannot save the swarm secret to " + s.fileFor(infoHash) + ": " + e.getMessage()
                        + "; a tracker outage after a restart would block secure connections");
            }
        });
    }
}
