package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    static final Path ORIGINAL = Path.of("../samples/original");

    @ParameterizedTest
    @ValueSource(strings = {"sample-proxy.toml", "sample-passthrough.toml", "sample.toml", "test.toml",
            "proxy_test.toml", "passthrough_test.toml"})
    void everyOriginalConfigFileLoadsUnchanged(String file) {
        LoadResult result = ConfigLoader.load(ORIGINAL.resolve(file));
        assertThat(result.errors()).isEmpty();
        assertThat(result.problems()).isEmpty();
        assertThat(result.config()).isPresent();
    }

    @Test
    void theCommentedFullSampleIsValidWithoutWarnings() {
        LoadResult result = ConfigLoader.load(Path.of("../samples/full.toml"));
        assertThat(result.problems()).isEmpty();
        ConveyConfig config = result.config().orElseThrow();
        assertThat(config.backends().get("api_pool").algorithm()).isEqualTo(Algorithm.MAGLEV);
        assertThat(config.passthrough().connectionTrackerCapacity()).isEqualTo(20000);
    }

    @Test
    void originalSampleMeansWhatTheOriginalMeant() {
        ConveyConfig config = ConfigLoader.load(ORIGINAL.resolve("sample-proxy.toml")).config().orElseThrow();
        assertThat(config.frontends()).containsOnlyKeys("tcp_3000", "tcp_3001");
        assertThat(config.frontends().get("tcp_3000").listenAddr()).isEqualTo(new InetSocketAddress("192.168.1.136", 3000));
        PoolConfig pool = config.backends().get("tcp3001_out");
        assertThat(pool.healthCheckInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(pool.servers().get("server2").weight()).isEqualTo(1);
        assertThat(pool.servers().get("server3").weight()).as("absent weight defaults to 1").isEqualTo(1);
        assertThat(config.backends().get("tcp3000_out").servers().keySet())
                .as("servers keep file order").containsExactly("server1", "server2", "server3", "server4");
        assertThat(config.stats().port()).isEqualTo(7000);
        assertThat(pool.algorithm()).isEqualTo(Algorithm.ROUND_ROBIN);
        assertThat(pool.rise()).isEqualTo(2);
        assertThat(pool.fall()).isEqualTo(3);
    }

    @Test
    void passthroughSectionAndDefaults() {
        ConveyConfig config = ConfigLoader.load(ORIGINAL.resolve("passthrough_test.toml")).config().orElseThrow();
        assertThat(config.passthrough().connectionTrackerCapacity()).isEqualTo(2);
        assertThat(config.passthrough().workers()).isEqualTo(1);
        assertThat(config.passthrough().statsUpdateFrequency()).isEqualTo(Duration.ofSeconds(3));
        ConveyConfig noSection = ConfigLoader.load(ORIGINAL.resolve("test.toml")).config().orElseThrow();
        assertThat(noSection.passthrough().connectionTrackerCapacity()).isEqualTo(1000);
        assertThat(noSection.passthrough().capture()).isEqualTo(CaptureMethod.AUTO);
    }

    @Test
    void aPoolChoosesWhatHappensToFlowsOfADownServer() {
        assertThat(parse(base("")).config().orElseThrow().backends().get("p").onServerDown())
                .isEqualTo(ServerDownAction.RESET);
        String keep = base("").replace("[backends.p]\n", "[backends.p]\non_server_down = \"keep\"\n");
        assertThat(parse(keep).config().orElseThrow().backends().get("p").onServerDown())
                .isEqualTo(ServerDownAction.KEEP);
        String bad = base("").replace("[backends.p]\n", "[backends.p]\non_server_down = \"move\"\n");
        assertThat(parse(bad).errors()).extracting(Problem::toString)
                .containsExactly("t.toml:5: backends.p.on_server_down: \"move\" (expected: one of reset, keep)");
    }

    @Test
    void captureMethodIsChosenByNameAndAnUnknownOneIsNamed() {
        assertThat(parse(base("") + "[passthrough]\ncapture = \"pcap\"\n").config().orElseThrow()
                .passthrough().capture()).isEqualTo(CaptureMethod.PCAP);
        PassthroughConfig ring = parse(base("") + "[passthrough]\ncapture = \"ring\"\nmanage_offloads = true\n")
                .config().orElseThrow().passthrough();
        assertThat(ring.capture()).isEqualTo(CaptureMethod.RING);
        assertThat(ring.manageOffloads()).isTrue();
        assertThat(PassthroughConfig.defaults().manageOffloads()).isFalse();
        assertThat(parse(base("") + "[passthrough]\ncapture = \"xdp\"\n").errors()).extracting(Problem::toString)
                .containsExactly("t.toml:9: passthrough.capture: \"xdp\" (expected: one of auto, ring, pcap)");
    }

    @Test
    void originalBadFileIsRejectedWithEveryProblem() {
        LoadResult result = ConfigLoader.load(ORIGINAL.resolve("bad.toml"));
        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(Problem::toString).containsExactlyInAnyOrder(
                ORIGINAL.resolve("bad.toml") + ":3: frontends.tcp_3000.backend: \"missing\" (expected: a pool defined in [backends])",
                ORIGINAL.resolve("bad.toml") + ":7: backends.whoops.servers: empty (expected: at least one server)");
    }

    @Test
    void zeroIntervalMeansFiveSecondsAndIntegerStatsPortIsAccepted() {
        ConveyConfig config = parse("""
                [frontends.f]
                listen_addr = "[::1]:8080"
                backend = "p"
                [backends.p]
                health_check_interval = 0
                [backends.p.servers.a]
                addr = "[::1]:9000"
                [stats]
                port = 7001
                """).config().orElseThrow();
        assertThat(config.backends().get("p").healthCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.stats().port()).isEqualTo(7001);
        assertThat(config.frontends().get("f").listenAddr().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        weight too large        | weight = 70000                 | 7: backends.p.servers.a.weight: 70000 (expected: 0-65535)
        weight negative         | weight = -1                    | 7: backends.p.servers.a.weight: -1 (expected: 0-65535)
        weight not a number     | weight = "abc"                 | 7: backends.p.servers.a.weight: "abc" (expected: 0-65535)
        unknown key             | port = 1                       | 7: warning: backends.p.servers.a.port: unknown key, ignored (expected one of: addr, max_connections, state, weight)
        misspelt key            | wieght = 1                     | 7: warning: backends.p.servers.a.wieght: unknown key, ignored (did you mean weight?)
        key with a suffix       | addr2 = 1                      | 7: warning: backends.p.servers.a.addr2: unknown key, ignored (did you mean addr?)
        unknown state           | state = "paused"               | 7: backends.p.servers.a.state: "paused" (expected: one of enabled, drain, disabled)
        """)
    void badServerKeysAreReportedWithLineAndPath(String name, String line, String expected) {
        LoadResult result = parse(base(line));
        assertThat(result.problems()).extracting(Problem::toString).contains("t.toml:" + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        hostname      | listen_addr = "localhost:80"  | 2: frontends.f.listen_addr: "localhost:80" (expected: ip:port with a literal IP address; hostnames are not resolved)
        no port       | listen_addr = "10.0.0.1"      | 2: frontends.f.listen_addr: "10.0.0.1" (expected: ip:port)
        bad octet     | listen_addr = "10.0.0.300:1"  | 2: frontends.f.listen_addr: "10.0.0.300:1" (expected: ip:port)
        port too big  | listen_addr = "10.0.0.1:70000"| 2: frontends.f.listen_addr: "10.0.0.1:70000" (expected: port 0-65535)
        """)
    void badAddressesAreReported(String name, String line, String expected) {
        String text = base("").replace("listen_addr = \"127.0.0.1:8000\"", line);
        assertThat(parse(text).errors()).extracting(Problem::toString).containsExactly("t.toml:" + expected);
    }

    @Test
    void everyProblemIsCollectedNotJustTheFirst() {
        LoadResult result = parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:8000"
                backend = "p"
                [frontends.g]
                listen_addr = "127.0.0.1:8000"
                backend = "nowhere"
                [backends.p]
                algorithm = "random"
                health_check_interval = -3
                rise = 0
                [backends.p.servers.a]
                addr = "127.0.0.1:9000"
                weight = 70000
                [backends.empty]
                health_check_interval = 1
                [stats]
                port = "http"
                """);
        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "t.toml:5: frontends.g.listen_addr: \"127.0.0.1:8000\" (expected: an address not used by frontend f)",
                "t.toml:6: frontends.g.backend: \"nowhere\" (expected: a pool defined in [backends])",
                "t.toml:8: backends.p.algorithm: \"random\" (expected: one of round_robin, least_connections, maglev)",
                "t.toml:9: backends.p.health_check_interval: -3 (expected: 0-86400)",
                "t.toml:10: backends.p.rise: 0 (expected: 1-100)",
                "t.toml:13: backends.p.servers.a.weight: 70000 (expected: 0-65535)",
                "t.toml:14: backends.empty.servers: missing (expected: at least one server)",
                "t.toml:17: stats.port: \"http\" (expected: port 0-65535)");
    }

    @Test
    void syntaxErrorsNameTheLine() {
        LoadResult result = parse("[frontends.f]\nlisten_addr = \"127.0.0.1:1\nbackend = 3\n");
        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).isNotEmpty();
        assertThat(result.errors().getFirst().toString()).startsWith("t.toml:2: TOML syntax:");
    }

    @Test
    void unreadableFileIsAProblemNotAnException() {
        LoadResult result = ConfigLoader.load(Path.of("does-not-exist.toml"));
        assertThat(result.ok()).isFalse();
        assertThat(result.errors().getFirst().toString())
                .isEqualTo("does-not-exist.toml: not found (expected: a readable TOML file)");
    }

    @Test
    void extensionsAreRead() {
        ConveyConfig config = parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:8000"
                backend = "p"
                [backends.p]
                algorithm = "maglev"
                health_check_timeout_ms = 500
                rise = 1
                fall = 5
                connect_timeout_ms = 250
                idle_timeout_s = 60
                [backends.p.servers.a]
                addr = "127.0.0.1:9000"
                weight = 0
                state = "drain"
                [admin]
                listen_addr = "127.0.0.1:7070"
                token_file = "token"
                """).config().orElseThrow();
        PoolConfig p = config.backends().get("p");
        assertThat(p.algorithm()).isEqualTo(Algorithm.MAGLEV);
        assertThat(p.healthCheckTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(List.of(p.rise(), p.fall())).containsExactly(1, 5);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.servers().get("a").state()).isEqualTo(ServerState.DRAIN);
        assertThat(p.servers().get("a").takesNewConnections()).isFalse();
        assertThat(config.admin().listenAddr()).contains(new InetSocketAddress("127.0.0.1", 7070));
        assertThat(config.admin().tls()).isTrue();
        assertThat(config.admin().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    private static String base(String serverLine) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:8000"
                backend = "p"
                [backends.p]
                [backends.p.servers.a]
                addr = "127.0.0.1:9000"
                %s
                """.formatted(serverLine);
    }

    private static LoadResult parse(String text) {
        return ConfigLoader.parse(text, "t.toml");
    }
}
