package simplebt.swarm;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import simplebt.metainfo.InfoHash;
import simplebt.secure.SwarmKey;

/**
 * The torrent's {@link SwarmKey} once it is known. With a tracker, the swarm secret
 * ({@code sbt secret}) arrives with the first announce reply; until then no secure connection
 * may be made or accepted, or two members could agree on a key without the secret and an
 * outsider who knows only the info hash could join (issue 7). Without trackers the key is the
 * info hash alone from the start.
 */
final class SwarmKeyHolder {
    private final InfoHash infoHash;
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile SwarmKey key;

    SwarmKeyHolder(InfoHash infoHash) {
        this.infoHash = infoHash;
    }

    /** The tracker answered (or there is none): from now on this is the key; a later secret replaces it. */
    void settle(Optional<byte[]> secret) {
        key = secret.map(s -> SwarmKey.withSecret(infoHash, s)).orElseGet(() -> SwarmKey.open(infoHash));
        settled.countDown();
    }

    /** The session is closing: stop anyone waiting in {@link #await}. */
    void abandon() {
        settled.countDown();
    }

    /** The key, waiting up to {@code timeout} for the first announce; empty if it has not answered. */
    Optional<SwarmKey> await(Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.ofNullable(key);
    }
}
