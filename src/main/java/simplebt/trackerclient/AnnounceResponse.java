package simplebt.trackerclient;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A tracker's answer. {@code swarmSecret} ({@code sbt secret}) and {@code securePeers}
 * ({@code sbt peers}) are our tracker's additions for the secure channel; other trackers omit them.
 */
public record AnnounceResponse(int interval, Optional<Integer> minInterval, Optional<Integer> complete,
                               Optional<Integer> incomplete, List<InetSocketAddress> peers,
                               Optional<byte[]> swarmSecret, List<InetSocketAddress> securePeers,
                               Optional<String> warning) {
    public AnnounceResponse {
        peers = List.copyOf(peers);
        securePeers = List.copyOf(securePeers);
        swarmSecret = swarmSecret.map(byte[]::clone);
    }

    @Override
    public Optional<byte[]> swarmSecret() {
        return swarmSecret.map(byte[]::clone);
    }
}
