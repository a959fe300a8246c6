package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreambleSettingsTest {
    private static final String POOLS = """
            [backends.pool_a.servers.a]
            addr = "127.0.0.1:9001"
            [backends.pool_b.servers.b]
            addr = "127.0.0.1:9002"
            [backends.dflt.servers.d]
            addr = "127.0.0.1:9003"
            """;

    @Test
    void sniMapAcceptProxyAndSendProxyAreRead() {
        ConveyConfig config = load("""
                [frontends.tls]
                listen_addr = "127.0.0.1:8443"
                backend = "dflt"
                accept_proxy = true
                accept_proxy_timeout_ms = 1500
                sni_mismatch = "reject"
                sni_timeout_ms = 2000
                [frontends.tls.sni]
                "A.Example" = "pool_a"
                "*.example" = "pool_b"
                [frontends.plain]
                listen_addr = "127.0.0.1:8080"
                backend = "dflt"
                """ + POOLS + """
                [backends.pool_a]
                send_proxy = "v2"
                [backends.pool_b]
                send_proxy = "v1"
                """);
        FrontendPreamble p = config.frontends().get("tls").preamble();
        assertThat(p.acceptProxy()).isTrue();
        assertThat(p.acceptProxyTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(p.sni()).isEqualTo(Map.of("a.example", "pool_a", "*.example", "pool_b"));
        assertThat(p.sniMismatch()).isEqualTo(SniMismatch.REJECT);
        assertThat(p.sniTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.frontends().get("plain").preamble()).isEqualTo(FrontendPreamble.NONE);
        assertThat(config.backends().get("pool_a").sendProxy()).isEqualTo(SendProxy.V2);
        assertThat(config.backends().get("pool_b").sendProxy()).isEqualTo(SendProxy.V1);
        assertThat(config.backends().get("dflt").sendProxy()).isEqualTo(SendProxy.NONE);
    }

    @Test
    void exactNamesBeatWildcardsTheLongestWildcardWinsAndCaseIsIgnored() {
        FrontendPreamble p = new FrontendPreamble(false, Duration.ofSeconds(1),
                Map.of("a.example", "exact", "*.example", "wide", "*.b.example", "narrow"), SniMismatch.DEFAULT,
                Duration.ofSeconds(1));
        assertThat(p.poolFor("a.example", "d")).isEqualTo("exact");
        assertThat(p.poolFor("A.EXAMPLE", "d")).isEqualTo("exact");
        assertThat(p.poolFor("x.a.example", "d")).isEqualTo("wide");
        assertThat(p.poolFor("x.b.example", "d")).isEqualTo("narrow");
        assertThat(p.poolFor("b.example", "d")).isEqualTo("wide");
        assertThat(p.poolFor("example", "d")).isEqualTo("d");
        assertThat(p.poolFor("a.example.org", "d")).isEqualTo("d");
        assertThat(p.poolFor(null, "d")).isEqualTo("d");
    }

    @Test
    void badValuesAreReportedWithFileLineAndKey() {
        LoadResult result = ConfigLoader.parse("""
                [frontends.tls]
                listen_addr = "127.0.0.1:8443"
                backend = "dflt"
                accept_proxy = "yes"
                accept_proxy_timeout_ms = 0
                sni_mismatch = "drop"
                [frontends.tls.sni]
                "a.example" = "nowhere"
                "bad name!" = "pool_a"
                "*" = "pool_a"
                "A.EXAMPLE" = "pool_b"
                "b.example" = 3
                """ + POOLS + """
                [backends.pool_a]
                send_proxy = "v3"
                """, "t.toml");
        assertThat(result.config()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).contains(
                "t.toml:4: frontends.tls.accept_proxy: \"yes\" (expected: true or false)",
                "t.toml:5: frontends.tls.accept_proxy_timeout_ms: 0 (expected: 1-600000)",
                "t.toml:6: frontends.tls.sni_mismatch: \"drop\" (expected: one of default, reject)",
                "t.toml:8: frontends.tls.sni.\"a.example\": \"nowhere\" (expected: a pool defined in [backends])",
                "t.toml:9: frontends.tls.sni.\"bad name!\": \"bad name!\" (expected: a host name such as \"a.example\","
                        + " or \"*.example\" for every name under example)",
                "t.toml:10: frontends.tls.sni.\"*\": \"*\" (expected: a host name such as \"a.example\", or"
                        + " \"*.example\" for every name under example)",
                "t.toml:11: frontends.tls.sni.\"A.EXAMPLE\": \"A.EXAMPLE\" (expected: each name once; names ignore case"
                        + " and \"a.example\" is already listed)",
                "t.toml:12: frontends.tls.sni.\"b.example\": 3 (expected: a pool name)",
                "t.toml:20: backends.pool_a.send_proxy: \"v3\" (expected: one of none, v1, v2)");
    }

    @Test
    void aUdpFrontendTakesNoSniMapAndNoProxyHeader() {
        LoadResult result = ConfigLoader.parse("""
                [frontends.dns]
                listen_addr = "127.0.0.1:5353"
                backend = "dflt"
                protocol = "udp"
                accept_proxy = true
                [frontends.dns.sni]
                "a.example" = "pool_a"
                """ + POOLS, "t.toml");
        assertThat(result.config()).isEmpty();
        assertThat(result.problems()).extracting(Problem::toString).contains(
                "t.toml:6: frontends.dns.sni: a table (expected: no SNI routing on a UDP frontend; TLS ClientHellos come"
                        + " over TCP)",
                "t.toml:5: frontends.dns.accept_proxy: true (expected: false on a UDP frontend; PROXY headers are read on"
                        + " TCP frontends)");
    }

    @Test
    void anEmptySniTableIsAMistake() {
        LoadResult result = ConfigLoader.parse("""
                [frontends.tls]
                listen_addr = "127.0.0.1:8443"
                backend = "dflt"
                [frontends.tls.sni]
                """ + POOLS, "t.toml");
        assertThat(result.problems()).extracting(Problem::toString).contains(
                "t.toml:4: frontends.tls.sni: empty (expected: server names mapped to pools, e.g. \"a.example\" = \"pool_a\")");
    }

    private static ConveyConfig load(String text) {
        LoadResult result = ConfigLoader.parse(text, "t.toml");
        assertThat(result.problems()).isEmpty();
        return result.config().orElseThrow();
    }
}
