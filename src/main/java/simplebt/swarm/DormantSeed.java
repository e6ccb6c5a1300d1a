package simplebt.swarm;

import java.util.Optional;

import simplebt.trackerclient.AnnounceResponse;

/**
 * What a complete, idle seeding torrent of a {@link SessionHost} keeps while it is dormant, in
 * place of its {@link TorrentSession} (storage, swarm, piece picker, dialer, locks and maps,
 * some 9 KiB of heap each and a tick every second): only what goes on announcing and what the
 * session that an incoming peer wakes needs to go on where this one stopped.
 *
 * @param announcer  the trackers' schedule (interval, tracker order, 'started' said), still on the
 *                   host's one announce clock; empty without trackers
 * @param key        the secure channel's key (the swarm secret): the router's secure hello matcher
 *                   needs it to recognise a peer for this torrent
 * @param peerId     ours towards the trackers: the woken session keeps it, so the tracker sees one peer
 * @param uploaded   payload bytes announced as uploaded so far (this announce "session", since 'started')
 * @param downloaded payload bytes announced as downloaded so far
 * @param wakingReply the tracker reply that woke it, when leechers in it did (not a peer of its
 *                   own): the woken session dials that reply's peers before its first tick, as if
 *                   its own announce had brought them
 * @param routed     the torrent's registration with the router now (the session's that fell asleep,
 *                   then the dormant torrent's): the next one replaces it in one step, so that no
 *                   incoming peer finds neither; empty for a torrent that started dormant
 */
record DormantSeed(Optional<Announcer> announcer, SwarmKeyHolder key, byte[] peerId, long uploaded, long downloaded,
                   Optional<AnnounceResponse> wakingReply, Optional<RoutedTorrent> routed) {

    /** The same record, for a session woken to dial the peers of {@code reply}. */
    DormantSeed wokenBy(AnnounceResponse reply) {
        return new DormantSeed(announcer, key, peerId, uploaded, downloaded, Optional.of(reply), routed);
    }

    /** The same record, registered with the router as {@code r}. */
    DormantSeed routedAs(RoutedTorrent r) {
        return new DormantSeed(announcer, key, peerId, uploaded, downloaded, wakingReply, Optional.of(r));
    }
}
