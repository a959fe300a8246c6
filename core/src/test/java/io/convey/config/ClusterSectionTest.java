package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSectionTest {

    @Test
    void aFileWithoutClusterIsItsOwnSourceOfTruth() {
        LoadResult result = ConfigLoader.parse("[backends.p.servers.a]\naddr = \"127.0.0.1:8080\"\n", "convey.toml");
        assertThat(result.ok()).isTrue();
        assertThat(result.config().orElseThrow().cluster()).isEmpty();
    }

    @Test
    void endpointsNameMemberTtlAndCredentialsAreRead(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("etcd-password"), "pw\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        LoadResult result = ConfigLoader.parse("""
                [cluster]
                etcd_endpoints = ["http://10.0.0.1:2379", "https://10.0.0.2:2379/"]
                name = "edge"
                member = "lb1"
                member_ttl_s = 4
                user = "convey"
                password_file = "etcd-password"
                tls_ca = "ca.pem"
                """, "convey.toml", dir);
        assertThat(result.problems()).isEmpty();
        ClusterConfig cluster = result.config().orElseThrow().cluster().orElseThrow();
        assertThat(cluster.etcdEndpoints()).containsExactly(URI.create("http://10.0.0.1:2379"),
                URI.create("https://10.0.0.2:2379"));
        assertThat(cluster.name()).isEqualTo("edge");
        assertThat(cluster.member()).isEqualTo("lb1");
        assertThat(cluster.memberTtl()).isEqualTo(Duration.ofSeconds(4));
        assertThat(cluster.user()).hasValue("convey");
        assertThat(cluster.passwordFile()).hasValue(password);
        assertThat(cluster.tlsCa()).hasValue(dir.resolve("ca.pem"));
    }

    @Test
    void theMemberDefaultsToTheHostName() {
        LoadResult result = ConfigLoader.parse("""
                [cluster]
                etcd_endpoints = ["http://127.0.0.1:2379"]
                name = "edge"
                """, "convey.toml");
        assertThat(result.config().orElseThrow().cluster().orElseThrow().member()).isEqualTo(ClusterReader.hostName());
    }

    @Test
    void everyProblemIsReportedWithItsLineAndKey(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("etcd-password"), "pw\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        LoadResult result = ConfigLoader.parse("""
                [cluster]
                etcd_endpoints = ["10.0.0.1:2379"]
                name = "edge/west"
                member_ttl_s = 1
                user = "convey"
                password_file = "etcd-password"
                """, "convey.toml", dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(Problem::toString).containsExactly(
                "convey.toml:2: cluster.etcd_endpoints: \"10.0.0.1:2379\" (expected: an array of etcd client URLs, e.g."
                        + " [\"http://10.0.0.1:2379\"])",
                "convey.toml:3: cluster.name: \"edge/west\" (expected: 1-63 letters, digits, '.', '_' or '-')",
                "convey.toml:4: cluster.member_ttl_s: 1 (expected: 2-3600)",
                "convey.toml:6: cluster.password_file: \"" + password + "\" is readable by others (expected: an"
                        + " owner-only file, chmod 600)");
    }

    @Test
    void missingEndpointsAndNameAreErrors() {
        LoadResult result = ConfigLoader.parse("[cluster]\nmember = \"a\"\n", "convey.toml");
        assertThat(result.errors()).extracting(Problem::path).containsExactly("cluster.etcd_endpoints", "cluster.name");
    }
}
