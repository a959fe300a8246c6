package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A frontend's allow/deny, rate-limit and access-log keys: read, refused with file:line:key, written back. */
class TrafficKeysTest {
    private static final String POOL = """
            [backends.p.servers.a]
            addr = "127.0.0.1:8080"
            """;

    @Test
    void everyKeyIsReadWithItsDefaults() {
        LoadResult result = ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:3000"
                backend = "p"
                allow = ["10.0.0.0/8", "2001:db8::/32"]
                deny = ["10.6.6.0/24"]
                rate_limit = 20
                rate_limit_prefix_v4 = 24
                access_log = "/var/log/convey/access.log"
                access_log_max_size = "10MB"
                [frontends.g]
                listen_addr = "127.0.0.1:3001"
                backend = "p"
                """ + POOL, "convey.toml");
        assertThat(result.problems()).isEmpty();
        FrontendTraffic f = result.config().orElseThrow().frontends().get("f").traffic();
        assertThat(f.allow()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32"));
        assertThat(f.deny()).containsExactly(Cidr.parse("10.6.6.0/24"));
        assertThat(f.rateLimit()).contains(new FrontendTraffic.RateLimit(20, 20, 24, 64, 65_536));
        assertThat(f.accessLog()).contains(new FrontendTraffic.AccessLog("/var/log/convey/access.log",
                AccessLogFormat.JSON, 10L << 20, 10));
        assertThat(result.config().orElseThrow().frontends().get("g").traffic()).isEqualTo(FrontendTraffic.NONE);
    }

    @Test
    void badValuesAreReportedWithFileLineAndKey() {
        LoadResult result = ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:3000"
                backend = "p"
                allow = ["10.0.0.0/8", "10.1.2.3/16", "nonsense"]
                deny = "10.0.0.0/8"
                rate_limit = -1
                rate_limit_prefix_v6 = 129
                access_log = "access.log"
                access_log_format = "xml"
                access_log_max_size = "12 parsecs"
                access_log_max_files = 50
                """ + POOL, "convey.toml");
        assertThat(result.config()).isEmpty();
        assertThat(result.errors().stream().map(Problem::toString)).containsExactly(
                "convey.toml:4: frontends.f.allow: \"10.1.2.3/16\" (expected: the network address, 10.1.0.0/16)",
                "convey.toml:4: frontends.f.allow: \"nonsense\" (expected: an address prefix such as 10.0.0.0/8 or"
                        + " 2001:db8::/32)",
                "convey.toml:5: frontends.f.deny: \"10.0.0.0/8\" (expected: an array of address prefixes, e.g."
                        + " [\"10.0.0.0/8\", \"2001:db8::/32\"])",
                "convey.toml:6: frontends.f.rate_limit: -1 (expected: 0-10000000)",
                "convey.toml:7: frontends.f.rate_limit_prefix_v6: 129 (expected: 1-128)",
                "convey.toml:8: frontends.f.access_log: \"access.log\" (expected: \"off\", \"stdout\" or an absolute"
                        + " file path)",
                "convey.toml:9: frontends.f.access_log_format: \"xml\" (expected: one of json, text)",
                "convey.toml:10: frontends.f.access_log_max_size: \"12 parsecs\" (expected: a size of at least 1KB,"
                        + " e.g. \"100MB\")",
                "convey.toml:11: frontends.f.access_log_max_files: 50 (expected: 1-20)");
    }

    @Test
    void anEditWritesTheListsAndLimitAndKeepsEveryComment() throws Exception {
        String text = """
                # the public site
                [frontends.f]
                listen_addr = "127.0.0.1:3000" # behind the firewall
                backend = "p"
                deny = ["192.0.2.0/24"] # a noisy neighbour
                """ + POOL;
        ConveyConfig before = ConfigLoader.parse(text, "convey.toml").config().orElseThrow();
        List<String> allow = List.of("10.0.0.0/8", "10.1.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "2001:db8::/32");
        ConfigChange change = new ConfigChange.UpdateFrontendTraffic("f", new TrafficFields(allow, List.of(), 50L, 100L,
                24L, null, null, "stdout", "text", null, null));
        change.check(before);
        TomlEditor editor = new TomlEditor(text);
        change.editText(editor);
        String edited = editor.text();
        assertThat(edited).contains("# the public site", "# behind the firewall", "deny = [] # a noisy neighbour",
                "rate_limit = 50", "rate_limit_burst = 100", "rate_limit_prefix_v4 = 24", "access_log = \"stdout\"",
                "access_log_format = \"text\"", "    \"2001:db8::/32\",");
        ConveyConfig reread = ConfigLoader.parse(edited, "convey.toml").config().orElseThrow();
        assertThat(reread).isEqualTo(change.applyTo(before));
        FrontendTraffic t = reread.frontends().get("f").traffic();
        assertThat(t.allow()).hasSize(5);
        assertThat(t.deny()).isEmpty();
        assertThat(t.rateLimit()).contains(new FrontendTraffic.RateLimit(50, 100, 24, 64, 65_536));
        assertThat(t.accessLog().orElseThrow().format()).isEqualTo(AccessLogFormat.TEXT);

        // turning both off again
        ConfigChange off = new ConfigChange.UpdateFrontendTraffic("f", new TrafficFields(null, null, 0L, null, null,
                null, null, "off", null, null, null));
        TomlEditor again = new TomlEditor(edited);
        off.editText(again);
        ConveyConfig offConfig = ConfigLoader.parse(again.text(), "convey.toml").config().orElseThrow();
        assertThat(offConfig).isEqualTo(off.applyTo(reread));
        assertThat(offConfig.frontends().get("f").traffic().rateLimit()).isEmpty();
        assertThat(offConfig.frontends().get("f").traffic().accessLog()).isEmpty();
    }
}
