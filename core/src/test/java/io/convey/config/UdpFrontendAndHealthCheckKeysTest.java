package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code protocol}, the UDP session keys and {@code health_check}/{@code health_check_port}: read, refused, written back. */
class UdpFrontendAndHealthCheckKeysTest {
    private static final String POOL = """
            [backends.p]
            [backends.p.servers.a]
            addr = "127.0.0.1:9000"
            """;

    private static LoadResult parse(String frontend, String poolKeys) {
        return ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:5300"
                backend = "p"
                """ + frontend + POOL.replace("[backends.p]\n", "[backends.p]\n" + poolKeys), "t.toml");
    }

    @Test
    void withoutTheKeysAFrontendIsTcpAndAPoolIsCheckedByTcpOnEachServersPort() {
        ConveyConfig config = parse("", "").config().orElseThrow();

        assertThat(config.frontends().get("f").protocol()).isEqualTo(Protocol.TCP);
        assertThat(config.frontends().get("f").udp()).isEqualTo(UdpOptions.DEFAULT);
        assertThat(config.backends().get("p").healthCheck()).isEqualTo(HealthCheckSettings.DEFAULT);
        assertThat(config.backends().get("p").healthCheck().probePort(9000)).isEqualTo(9000);
    }

    @Test
    void aUdpFrontendTakesItsSessionSettings() {
        LoadResult result = parse("""
                protocol = "udp"
                udp_idle_timeout_s = 5
                udp_responses = 1
                udp_max_sessions = 100
                """, "health_check = \"tcp\"\nhealth_check_port = 8053\n");

        assertThat(result.problems()).isEmpty();
        ConveyConfig config = result.config().orElseThrow();
        FrontendConfig f = config.frontends().get("f");
        assertThat(f.protocol()).isEqualTo(Protocol.UDP);
        assertThat(f.udp()).isEqualTo(new UdpOptions(Duration.ofSeconds(5), OptionalInt.of(1), 100));
        assertThat(config.backends().get("p").healthCheck().probePort(9000)).isEqualTo(8053);
    }

    @Test
    void aUdpFrontendWithoutSettingsHasUnlimitedResponsesAndTheDefaults() {
        FrontendConfig f = parse("protocol = \"udp\"\n", "health_check = \"none\"\n").config().orElseThrow()
                .frontends().get("f");

        assertThat(f.udp().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(f.udp().responses()).isEmpty();
        assertThat(f.udp().maxSessions()).isEqualTo(UdpOptions.DEFAULT_MAX_SESSIONS);
    }

    @Test
    void badValuesAreReportedWithFileLineAndKey() {
        LoadResult result = parse("""
                protocol = "sctp"
                udp_idle_timeout_s = 0
                """, "health_check = \"icmp\"\nhealth_check_port = 70000\n");

        assertThat(result.errors()).extracting(Problem::toString).containsExactly(
                "t.toml:4: frontends.f.protocol: \"sctp\" (expected: one of tcp, udp)",
                "t.toml:5: frontends.f.udp_idle_timeout_s: 0 (expected: only with protocol = \"udp\")",
                "t.toml:7: backends.p.health_check: \"icmp\" (expected: one of tcp, none)",
                "t.toml:8: backends.p.health_check_port: 70000 (expected: 1-65535)");
    }

    @Test
    void outOfRangeUdpSettingsAndAPortWithoutProbesAreRefused() {
        LoadResult result = parse("""
                protocol = "udp"
                udp_idle_timeout_s = 0
                udp_responses = -1
                udp_max_sessions = 0
                """, "health_check = \"none\"\nhealth_check_port = 8053\n");

        assertThat(result.errors()).extracting(Problem::toString).containsExactly(
                "t.toml:5: frontends.f.udp_idle_timeout_s: 0 (expected: 1-86400)",
                "t.toml:6: frontends.f.udp_responses: -1 (expected: 0-1000)",
                "t.toml:7: frontends.f.udp_max_sessions: 0 (expected: 1-10000000)",
                "t.toml:10: backends.p.health_check_port: 8053 (expected: only with health_check = \"tcp\")");
    }

    @Test
    void aUdpFrontendRefusesTheTcpConnectionLimit() {
        LoadResult result = parse("protocol = \"udp\"\nmax_connections = 100\n", "");

        assertThat(result.errors()).extracting(Problem::toString).containsExactly(
                "t.toml:5: frontends.f.max_connections: 100 (expected: only with protocol = \"tcp\"; udp_max_sessions"
                        + " caps a UDP frontend)");
        assertThat(parse("max_connections = 100\n", "").config().orElseThrow().frontends().get("f").maxConnections())
                .isEqualTo(100);
    }

    @Test
    void tcpAndUdpFrontendsMayShareAnAddressButTwoUdpOnesMayNot() {
        String udpTwin = """
                [frontends.dns_udp]
                listen_addr = "127.0.0.1:5300"
                backend = "p"
                protocol = "udp"
                """;
        assertThat(parse(udpTwin, "").errors()).isEmpty();

        LoadResult twice = parse(udpTwin + udpTwin.replace("dns_udp", "dns_udp2"), "");
        assertThat(twice.errors()).extracting(Problem::path).containsExactly("frontends.dns_udp2.listen_addr");
    }

    @Test
    void aTypoInAUdpKeyNamesTheKnownOne() {
        LoadResult result = parse("protocol = \"udp\"\nudp_respones = 1\n", "");

        assertThat(result.problems()).extracting(Problem::toString)
                .containsExactly("t.toml:5: warning: frontends.f.udp_respones: unknown key, ignored (did you mean udp_responses?)");
    }

    @Test
    void editsWriteTheKeysBackKeepingCommentsAndMeanWhatTheyAsk() {
        String text = """
                # the DNS frontend
                [frontends.f]
                listen_addr = "127.0.0.1:5300" # resolvers
                backend = "p"
                """ + POOL;
        ConveyConfig current = ConfigLoader.parse(text, "t.toml").config().orElseThrow();
        ConfigChange toUdp = new ConfigChange.UpdateFrontend("f", null, null,
                new ConfigChange.UdpFields("udp", 10L, 1L, null));
        ConfigChange pool = new ConfigChange.UpdatePool("p", new ConfigChange.PoolFields(null, null, null, null, null,
                null, null, "tcp", 8053L));

        TomlEditor editor = new TomlEditor(text);
        toUdp.editText(editor);
        pool.editText(editor);
        ConveyConfig edited = ConfigLoader.parse(editor.text(), "t.toml").config().orElseThrow();

        assertThat(editor.text()).contains("# the DNS frontend", "listen_addr = \"127.0.0.1:5300\" # resolvers",
                "protocol = \"udp\"", "udp_idle_timeout_s = 10", "udp_responses = 1", "health_check_port = 8053");
        assertThat(edited).isEqualTo(pool.applyTo(toUdp.applyTo(current)));
        assertThat(toUdp.summary()).isEqualTo("frontend f: protocol udp, udp_idle_timeout_s 10, udp_responses 1");

        ConfigChange backToTcp = new ConfigChange.UpdateFrontend("f", null, null,
                new ConfigChange.UdpFields("tcp", null, null, null));
        TomlEditor again = new TomlEditor(editor.text());
        backToTcp.editText(again);
        LoadResult tcp = ConfigLoader.parse(again.text(), "t.toml");
        assertThat(tcp.problems()).as("the UDP keys go with the protocol").isEmpty();
        assertThat(tcp.config().orElseThrow()).isEqualTo(backToTcp.applyTo(edited));
        assertThat(again.text()).doesNotContain("udp_").contains("# the DNS frontend");
    }

    @Test
    void aNewUdpFrontendIsWrittenWithItsSettings() {
        ConveyConfig current = ConfigLoader.parse(POOL, "t.toml").config().orElseThrow();
        ConfigChange add = new ConfigChange.AddFrontend("dns", "127.0.0.1:5353", "p",
                new ConfigChange.UdpFields("udp", null, 2L, 50L));
        TomlEditor editor = new TomlEditor(POOL);
        add.editText(editor);

        ConveyConfig edited = ConfigLoader.parse(editor.text(), "t.toml").config().orElseThrow();
        assertThat(edited).isEqualTo(add.applyTo(current));
        assertThat(edited.frontends().get("dns").udp().responses()).hasValue(2);
        assertThat(List.of(editor.text().split("\n"))).contains("protocol = \"udp\"", "udp_max_sessions = 50");
    }
}
