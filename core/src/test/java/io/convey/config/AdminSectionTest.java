package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code [admin]} keys: their defaults, paths relative to the config file, and the settings refused. */
class AdminSectionTest {
    private static final String BASE = """
            [frontends.f]
            listen_addr = "127.0.0.1:8000"
            backend = "p"
            [backends.p.servers.a]
            addr = "127.0.0.1:9000"
            """;

    private static LoadResult parse(String admin) {
        return ConfigLoader.parse(BASE + "[admin]\n" + admin, "convey.toml", Path.of("/etc/convey"));
    }

    @Test
    void everyKeyIsReadWithPathsRelativeToTheConfigFile() {
        AdminConfig admin = parse("""
                listen_addr = "127.0.0.1:7443"
                tls_cert = "tls/admin.crt"
                tls_key = "/secure/admin.key"
                state_dir = "state"
                users_file = "users.json"
                allowed_hosts = ["LB.example.net", "10.0.0.5"]
                protect_metrics = true
                session_idle_timeout_s = 600
                session_max_age_s = 3600
                """).config().orElseThrow().admin();
        assertThat(admin.tls()).isTrue();
        assertThat(admin.tlsCert()).contains(Path.of("/etc/convey/tls/admin.crt"));
        assertThat(admin.tlsKey()).contains(Path.of("/secure/admin.key"));
        assertThat(admin.stateDir(Path.of("/etc/convey/convey.toml"))).isEqualTo(Path.of("/etc/convey/state"));
        assertThat(admin.usersFile(Path.of("/etc/convey/convey.toml"))).isEqualTo(Path.of("/etc/convey/users.json"));
        assertThat(admin.allowedHosts()).containsExactly("lb.example.net", "10.0.0.5");
        assertThat(admin.protectMetrics()).isTrue();
        assertThat(admin.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(admin.sessionMaxAge()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theDefaultsPutStateAndUsersNextToTheConfigFile() {
        AdminConfig admin = ConfigLoader.parse(BASE, "convey.toml", Path.of("/etc/convey")).config().orElseThrow().admin();
        assertThat(admin).isEqualTo(AdminConfig.DEFAULT);
        assertThat(admin.stateDir(Path.of("/srv/lb/convey.toml"))).isEqualTo(Path.of("/srv/lb/.convey-state"));
        assertThat(admin.usersFile(Path.of("/srv/lb/convey.toml"))).isEqualTo(Path.of("/srv/lb/users.json"));
        assertThat(admin.protectMetrics()).isFalse();
    }

    @Test
    void plainHttpIsRefusedUnlessTheListenerIsLoopback() {
        assertThat(parse("listen_addr = \"127.0.0.1:7000\"\ntls = \"off\"\n").ok()).isTrue();
        assertThat(parse("listen_addr = \"[::1]:7000\"\ntls = \"off\"\n").ok()).isTrue();
        assertThat(messages(parse("listen_addr = \"0.0.0.0:7000\"\ntls = \"off\"\n"))).singleElement().asString()
                .isEqualTo("convey.toml:8: admin.tls: \"off\" (expected: \"on\" unless listen_addr is a loopback address)");
        assertThat(parse("tls = \"off\"\n").ok()).as("the default listener is 0.0.0.0").isFalse();
        assertThat(messages(parse("tls = \"maybe\"\n"))).singleElement().asString()
                .endsWith("admin.tls: \"maybe\" (expected: \"on\" or \"off\")");
    }

    @Test
    void theUsersFileCannotBeTheConfigFileAndCertificateAndKeyComeTogether() {
        assertThat(messages(parse("users_file = \"convey.toml\"\n"))).singleElement().asString()
                .contains("admin.users_file: \"convey.toml\" (expected: a file of its own, not the config file");
        assertThat(messages(parse("tls_cert = \"a.crt\"\n"))).singleElement().asString()
                .endsWith("admin.tls_key: missing (expected: tls_cert and tls_key together, or neither for a generated"
                        + " certificate)");
    }

    @Test
    void theOldTokenFileIsAWarningThatGrantsNothing() {
        LoadResult result = parse("token_file = \"admin.token\"\n");
        assertThat(result.ok()).isTrue();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.warning()).isTrue();
            assertThat(p.path()).isEqualTo("admin.token_file");
            assertThat(p.message()).isEqualTo("no longer used (expected: API tokens, see convey users and POST /api/v1/tokens)");
        });
    }

    @Test
    void serversAndFrontendsOnPortZeroOrTheUnspecifiedAddressAreRefused() {
        LoadResult result = ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "127.0.0.1:0"
                backend = "p"
                [backends.p.servers.a]
                addr = "0.0.0.0:80"
                [backends.p.servers.b]
                addr = "[::]:80"
                [backends.p.servers.c]
                addr = "10.0.0.1:0"
                """, "t.toml");
        assertThat(result.errors()).extracting(Problem::path).containsExactlyInAnyOrder("frontends.f.listen_addr",
                "backends.p.servers.a.addr", "backends.p.servers.b.addr", "backends.p.servers.c.addr");
        assertThat(result.errors()).extracting(Problem::message).contains("\"127.0.0.1:0\" (expected: a port 1-65535)");
    }

    private static List<String> messages(LoadResult result) {
        return result.errors().stream().map(Problem::toString).toList();
    }
}
