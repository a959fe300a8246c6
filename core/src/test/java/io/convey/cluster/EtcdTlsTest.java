package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convey.testing.EtcdCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd serving HTTPS and asking for client certificates ({@code --client-cert-auth}): the client with the CA and a
 * client certificate and PKCS#8 key made by openssl reads and writes; without a client certificate it is refused.
 */
class EtcdTlsTest {
    @TempDir
    Path dir;

    @Test
    void aClientCertificateSignedByTheTrustedCaIsAccepted() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test etcd CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        // etcd's JSON gateway dials etcd's own gRPC port with the server certificate: with --client-cert-auth, that
        // certificate must be good for client authentication too (etcd's TLS guide says so).
        Files.writeString(dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        for (String who : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + who, "-keyout", who + ".key", "-out",
                    who + ".csr");
            openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days",
                    "2", "-extfile", who + ".ext", "-out", who + ".pem");
        }
        Files.setPosixFilePermissions(dir.resolve("client.key"), PosixFilePermissions.fromString("rw-------"));
        try (EtcdCluster etcd = EtcdCluster.startTls(dir.resolve("etcd"), dir.resolve("server.pem"),
                dir.resolve("server.key"), dir.resolve("ca.pem"))) {
            assertThat(etcd.endpoints().getFirst().getScheme()).isEqualTo("https");
            EtcdSettings settings = new EtcdSettings(etcd.endpoints(), Optional.of(dir.resolve("client.pem")),
                    Optional.of(dir.resolve("client.key")), Optional.of(dir.resolve("ca.pem")), Optional.empty(),
                    Optional.empty(), Duration.ofSeconds(3));
            try (EtcdClient client = new EtcdClient(settings)) {
                Fleet fleet = new Fleet(client, "tls");
                long revision = fleet.write("# over TLS\n", 0, new Fleet.Change("test", "init", "init", Instant.now()))
                        .orElseThrow();
                assertThat(fleet.current().orElseThrow().revision()).isEqualTo(revision);
            }
            EtcdSettings noCertificate = new EtcdSettings(etcd.endpoints(), Optional.empty(), Optional.empty(),
                    Optional.of(dir.resolve("ca.pem")), Optional.empty(), Optional.empty(), Duration.ofSeconds(3));
            try (EtcdClient client = new EtcdClient(noCertificate)) {
                assertThatThrownBy(() -> new Fleet(client, "tls").current()).isInstanceOf(EtcdUnavailableException.class)
                        .hasMessageContaining(etcd.endpoints().getFirst().toString());
            }
        }
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
