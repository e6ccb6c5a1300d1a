package simplebt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import simplebt.cli.Args;
import simplebt.cli.UsageException;
import simplebt.swarm.HostOptions;

/** The process-wide options of `seed` and `download`: caps and rates, from flags or the settings. */
class HostArgsTest {
    private static HostOptions parse(NodeConfig settings, String... argv) throws UsageException {
        return SessionArgs.hostOptions(Args.parse(List.of(argv), SessionArgs.valued("out"), SessionArgs.flags()), settings);
    }

    @Test
    void ratesTakeUnitsAndZeroMeansNoLimit() throws Exception {
        HostOptions o = parse(NodeConfig.defaults(), "x.torrent", "--max-upload-rate", "500k", "--max-download-rate", "4M",
                "--max-connections", "50", "--upload-slots", "3", "--port", "7000");
        assertThat(o.maxUploadRate()).isEqualTo(500 * 1024);
        assertThat(o.maxDownloadRate()).isEqualTo(4 << 20);
        assertThat(o.maxConnections()).isEqualTo(50);
        assertThat(o.uploadSlots()).isEqualTo(3);
        assertThat(o.port()).isEqualTo(7000);
        assertThat(parse(NodeConfig.defaults(), "x.torrent", "--max-upload-rate", "0").maxUploadRate()).isZero();
    }

    @Test
    void withoutFlagsTheSettingsRatesApplyAndTheCapsHaveDefaults() throws Exception {
        HostOptions o = parse(NodeConfig.defaults().withRates(1000, 2000), "x.torrent");
        assertThat(o.maxUploadRate()).isEqualTo(1000);
        assertThat(o.maxDownloadRate()).isEqualTo(2000);
        assertThat(o.maxConnections()).isEqualTo(HostOptions.DEFAULT_MAX_CONNECTIONS);
        assertThat(o.uploadSlots()).isEqualTo(HostOptions.DEFAULT_UPLOAD_SLOTS);
        assertThat(parse(NodeConfig.defaults().withRates(1000, 2000), "x.torrent", "--max-upload-rate", "0").maxUploadRate())
                .as("a flag beats the settings").isZero();
    }

    @Test
    void badRatesAreUsageErrors() {
        assertThatThrownBy(() -> parse(NodeConfig.defaults(), "x.torrent", "--max-upload-rate", "fast"))
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parse(NodeConfig.defaults(), "x.torrent", "--max-download-rate", "-5"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--max-download-rate");
        assertThatThrownBy(() -> parse(NodeConfig.defaults(), "x.torrent", "--max-connections", "0"))
                .isInstanceOf(UsageException.class);
    }
}
