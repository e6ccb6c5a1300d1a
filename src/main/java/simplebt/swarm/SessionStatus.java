package simplebt.swarm;

import java.util.Optional;

/**
 * A snapshot of a running torrent for progress bars and menus.
 *
 * @param verifiedBytes bytes of hash-checked pieces we hold
 * @param downloaded    payload bytes received this session (including wasted)
 * @param uploaded      payload bytes sent this session
 * @param downloadRate  bytes per second, smoothed over a few seconds
 * @param failure       set when the session stopped on a fatal error (e.g. disk full)
 * @param waitingFor    what secure connections wait for, while they wait (the tracker's swarm secret)
 */
public record SessionStatus(int piecesDone, int pieceCount, long verifiedBytes, long totalBytes,
                            long downloaded, long uploaded, double downloadRate, double uploadRate,
                            int peers, int seeds, boolean complete, Optional<String> trackerError,
                            Optional<String> failure, Optional<String> waitingFor) {
}
