package io.convey.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's trust decisions over real TLS handshakes with an HTTPS server on loopback whose self-signed
 * certificate (made by keytool, for 127.0.0.1 only) the test controls.
 */
class CertificateTrustTest {
    @TempDir
    Path dir;
    private HttpsServer server;
    private X509Certificate certificate;
    private int requests;

    @BeforeEach
    void startServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        certificate = (X509Certificate) store.getCertificate("server");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/api/v1/session", exchange -> {
            requests++;
            byte[] body = "{\"user\":\"admin\",\"role\":\"admin\",\"auth\":\"token\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private AdminClient client(String host, Trust trust) {
        return new AdminClient(URI.create("https://" + host + ":" + server.getAddress().getPort()), trust,
                Optional::empty);
    }

    @Test
    void aFirstConnectionShowsTheFingerprintAndSendsNothing() {
        assertThatThrownBy(() -> client("127.0.0.1", Trust.firstUse()).session().get())
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> {
                    UntrustedCertificateException untrusted = UntrustedCertificateException.in(e).orElseThrow();
                    assertThat(untrusted.presented()).isEqualTo(CertificateTrust.fingerprint(certificate))
                            .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
                    assertThat(untrusted.changed()).isFalse();
                    assertThat(untrusted.certificate()).isEqualTo(certificate);
                });
        assertThat(requests).as("no request reached the server").isZero();
    }

    @Test
    void aPinnedFingerprintIsTheTrustWhateverNameTheAddressUses() throws Exception {
        Trust pinned = new Trust.Pinned(CertificateTrust.fingerprint(certificate).toLowerCase().replace(":", ""));
        assertThat(client("127.0.0.1", pinned).session().get().role()).isEqualTo("admin");
        // The certificate names 127.0.0.1 only: with a pin, "localhost" works too (no host name check).
        assertThat(client("localhost", pinned).session().get().user()).isEqualTo("admin");
    }

    @Test
    void aChangedCertificateIsRefusedNamingBothFingerprints() {
        String old = "AB:".repeat(31) + "AB";
        assertThatThrownBy(() -> client("127.0.0.1", new Trust.Pinned(old)).session().get())
                .satisfies(e -> {
                    UntrustedCertificateException untrusted = UntrustedCertificateException.in(e).orElseThrow();
                    assertThat(untrusted.changed()).isTrue();
                    assertThat(untrusted.pinned()).contains(old);
                    assertThat(untrusted.getMessage()).contains("has changed").contains(old)
                            .contains(CertificateTrust.fingerprint(certificate)).contains("refused");
                });
        assertThat(requests).isZero();
    }

    @Test
    void aCaFileTrustsItsCertificatesWithTheUsualHostNameCheck() throws Exception {
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        assertThat(client("127.0.0.1", new Trust.CaFile(ca)).session().get().role()).isEqualTo("admin");
        assertThatThrownBy(() -> client("localhost", new Trust.CaFile(ca)).session().get())
                .as("the certificate does not name localhost").hasRootCauseInstanceOf(
                        java.security.cert.CertificateException.class);
        assertThatThrownBy(() -> client("127.0.0.1", new Trust.CaFile(dir.resolve("missing.pem"))).session().get())
                .hasStackTraceContaining("ca_file: " + dir.resolve("missing.pem") + " (cannot be read");
        assertThat(requests).isEqualTo(1);
    }

    @Test
    void fingerprintsArePastedInAnyCommonSpelling() {
        String canonical = CertificateTrust.fingerprint(certificate);
        assertThat(CertificateTrust.normalize("SHA256 Fingerprint=" + canonical)).isEqualTo(canonical);
        assertThat(CertificateTrust.normalize(canonical.replace(":", "").toLowerCase())).isEqualTo(canonical);
        assertThatThrownBy(() -> CertificateTrust.normalize("AB:CD"))
                .hasMessage("fingerprint: AB:CD (expected: SHA-256 as AB:CD:... , 32 bytes)");
    }
}
