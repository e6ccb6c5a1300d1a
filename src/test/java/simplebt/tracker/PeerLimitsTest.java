package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import simplebt.cli.UsageException;

class PeerLimitsTest {
    @Test
    void commandLineSetsPerTorrentAndPerOwner() throws Exception {
        assertThat(TrackerMain.parse(new String[] {}).peerLimits()).isEqualTo(PeerLimits.DEFAULT);
        assertThat(TrackerMain.parse(new String[] {"--peer-limit", "10/100000"}).peerLimits())
                .isEqualTo(new PeerLimits(10, 100_000, 1_000_000, 100_000));
        for (String bad : new String[] {"0/10", "10/5", "8", "8/x", "8/2000000"}) {
            assertThatThrownBy(() -> PeerLimits.parse(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--peer-limit must be PER_TORRENT/PER_OWNER");
        }
    }
}
