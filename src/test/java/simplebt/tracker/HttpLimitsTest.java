package simplebt.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpLimitsTest {
    @Test
    void connectionCapLeavesDescriptorsForTheDataFiles() {
        assertThat(HttpLimits.maxConnections(1024)).isEqualTo(1024 - HttpLimits.RESERVED_FDS);
        assertThat(HttpLimits.maxConnections(20_000)).isEqualTo(HttpLimits.MAX_CONNECTIONS);
        assertThat(HttpLimits.maxConnections(200)).as("never below a usable minimum").isEqualTo(64);
        assertThat(HttpLimits.maxConnections(-1)).as("limit unknown").isEqualTo(HttpLimits.MAX_CONNECTIONS);
    }

    @Test
    void defaultsBoundSilentAndDribblingConnections() {
        Map<String, String> d = HttpLimits.defaults(4096);
        assertThat(d).containsEntry("sun.net.httpserver.idleInterval", "15")
                .containsEntry("sun.net.httpserver.clockTick", "1000")
                .containsEntry("sun.net.httpserver.maxReqTime", "30")
                .containsEntry("sun.net.httpserver.maxReqHeaders", "64")
                .containsEntry("jdk.httpserver.maxConnections", Integer.toString(4096 - HttpLimits.RESERVED_FDS));
    }

    @Test
    void aValueGivenOnTheCommandLineWins() {
        Map<String, String> given = Map.of("sun.net.httpserver.idleInterval", "5");
        Map<String, String> inForce = HttpLimits.resolve(HttpLimits.defaults(4096), given::get);
        assertThat(inForce).containsEntry("sun.net.httpserver.idleInterval", "5")
                .containsEntry("sun.net.httpserver.maxReqTime", "30");
    }
}
