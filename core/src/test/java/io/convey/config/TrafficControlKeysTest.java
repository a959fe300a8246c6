package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The keys of connection limits, the queue, slow start, passive health, persistence and half-close: values, defaults,
 * problems.
 */
class TrafficControlKeysTest {
    private static final String VALID = """
            [frontends.f]
            listen_addr = "127.0.0.1:8000"
            backend = "p"
            max_connections = 500
            [backends.p]
            queue_size = 50
            queue_timeout_ms = 2000
            slow_start_s = 30
            observe = true
            persistence_timeout_s = 600
            half_close = false
            [backends.p.servers.a]
            addr = "127.0.0.1:9000"
            max_connections = 100
            """;

    @Test
    void everyKeyIsRead() {
        LoadResult result = ConfigLoader.parse(VALID, "convey.toml");
        assertThat(result.problems()).isEmpty();
        ConveyConfig config = result.config().orElseThrow();
        assertThat(config.frontends().get("f").maxConnections()).isEqualTo(500);
        assertThat(config.backends().get("p").servers().get("a").maxConnections()).isEqualTo(100);
        assertThat(config.backends().get("p").traffic()).isEqualTo(new TrafficControl(50, Duration.ofMillis(2000),
                Duration.ofSeconds(30), true, Duration.ofSeconds(600), false));
    }

    @Test
    void withoutTheKeysNothingIsLimitedNorRamped() {
        ConveyConfig config = ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:8000"
                backend = "p"
                [backends.p.servers.a]
                addr = "127.0.0.1:9000"
                """, "convey.toml").config().orElseThrow();
        assertThat(config.frontends().get("f").maxConnections()).isZero();
        assertThat(config.backends().get("p").servers().get("a").maxConnections()).isZero();
        assertThat(config.backends().get("p").traffic()).isEqualTo(TrafficControl.DEFAULT);
        assertThat(config.backends().get("p").traffic().halfClose()).isTrue();
    }

    @Test
    void badValuesAreReportedWithFileLineAndKey() {
        LoadResult result = ConfigLoader.parse(VALID.replace("queue_size = 50", "queue_size = -1")
                .replace("observe = true", "observe = \"yes\"")
                .replace("max_connections = 100", "max_connections = 20000000")
                .replace("slow_start_s = 30", "slow_start_s = 7200")
                .replace("half_close = false", "half_close = 0"), "convey.toml");
        assertThat(result.config()).isEmpty();
        assertThat(result.errors()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "convey.toml:6: backends.p.queue_size: -1 (expected: 0-1000000)",
                "convey.toml:8: backends.p.slow_start_s: 7200 (expected: 0-3600)",
                "convey.toml:9: backends.p.observe: \"yes\" (expected: true or false)",
                "convey.toml:11: backends.p.half_close: 0 (expected: true or false)",
                "convey.toml:14: backends.p.servers.a.max_connections: 20000000 (expected: 0-10000000)");
    }

    @Test
    void persistenceOnAMaglevPoolIsIgnoredWithAWarning() {
        LoadResult result = ConfigLoader.parse(VALID.replace("[backends.p]\n", "[backends.p]\nalgorithm = \"maglev\"\n"),
                "convey.toml");
        assertThat(result.errors()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "convey.toml:11: warning: backends.p.persistence_timeout_s: 600 ignored (expected: unset for a maglev"
                        + " pool, which keeps a client address on its server by construction)");
        assertThat(result.config().orElseThrow().backends().get("p").traffic().persistenceTimeout()).isZero();
    }

    @Test
    void halfCloseOffOnAPoolOnlyUdpFrontendsUseLoadsWithAWarning() {
        String udpOnly = VALID.replace("max_connections = 500", "protocol = \"udp\"");
        LoadResult result = ConfigLoader.parse(udpOnly, "convey.toml");
        assertThat(result.errors()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "convey.toml:11: warning: backends.p.half_close: false has no effect on a pool only UDP frontends use"
                        + " (expected: a pool with a TCP frontend; datagrams carry no FIN)");

        String alsoTcp = udpOnly.replace("[backends.p]\n", """
                [frontends.g]
                listen_addr = "127.0.0.1:8000"
                backend = "p"
                [backends.p]
                """);
        assertThat(ConfigLoader.parse(alsoTcp, "convey.toml").problems()).isEmpty();
        assertThat(ConfigLoader.parse(udpOnly.replace("half_close = false", "half_close = true"), "convey.toml")
                .problems()).isEmpty();
    }
}
