package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.Main;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener over real TLS, checked with the tools operators use: curl trusting the generated
 * certificate succeeds and without it fails; {@code convey --admin-fingerprint} agrees with openssl; the
 * certificate survives a restart; a replaced certificate and key are served without a restart.
 */
class AdminTlsTest {

    @Test
    void curlTrustsTheGeneratedCertificateAndNothingElse(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            String url = daemon.adminUrl() + "/api/v1/status";
            Result trusted = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                    daemon.certificateFile().toString(), "-H", "Authorization: Bearer " + daemon.token(), url);
            assertThat(trusted.exit()).as(trusted.output()).isZero();
            assertThat(trusted.output()).isEqualTo("200");
            Result untrusted = run("curl", "-sS", "-o", "/dev/null", url);
            assertThat(untrusted.exit()).as(untrusted.output()).isEqualTo(60); // peer certificate cannot be authenticated
            Result plain = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    url.replace("https://", "http://"));
            assertThat(plain.output()).as("plain HTTP on the HTTPS port").doesNotStartWith("2");
        }
    }

    @Test
    void theFingerprintCommandAgreesWithOpensslAndTheCertificateSurvivesARestart(@TempDir Path dir) throws Exception {
        String toml;
        String fingerprint;
        try (NamedServer a = new NamedServer("a")) {
            toml = Configs.onePool("round_robin", "a", a.addr());
            try (RunningDaemon daemon = RunningDaemon.start(dir, toml)) {
                fingerprint = daemon.fingerprint();
                Result openssl = run("openssl", "x509", "-in", daemon.certificateFile().toString(), "-noout",
                        "-fingerprint", "-sha256");
                assertThat(openssl.output().substring(openssl.output().indexOf('=') + 1).strip()).isEqualTo(fingerprint);
                assertThat(served(daemon)).isEqualTo(fingerprint);
                assertThat(Files.getPosixFilePermissions(daemon.stateDir().resolve("admin-key.pem")))
                        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "--admin-fingerprint",
                    "--config=" + dir.resolve("convey.toml"));
            assertThat(exit).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("SHA256 Fingerprint=" + fingerprint);
            try (RunningDaemon again = RunningDaemon.start(dir, toml)) {
                assertThat(again.fingerprint()).isEqualTo(fingerprint);
                assertThat(served(again)).isEqualTo(fingerprint);
            }
        }
    }

    @Test
    void theFingerprintCommandSaysWhenNoCertificateExistsYet(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("convey.toml"), Configs.onePool("round_robin", "a", "127.0.0.1:9"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(System.out, new PrintStream(err, true, StandardCharsets.UTF_8), "--admin-fingerprint",
                "--config=" + dir.resolve("convey.toml"));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no certificate yet");
    }

    @Test
    void aReplacedCertificateAndKeyAreServedWithoutARestart(@TempDir Path dir) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        selfSigned(certs.resolve("cert.pem"), certs.resolve("key.pem"), "first");
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr())
                        + "\n[admin]\ntls_cert = \"certs/cert.pem\"\ntls_key = \"certs/key.pem\"\n")) {
            String first = fingerprintOf(certs.resolve("cert.pem"));
            assertThat(served(daemon)).isEqualTo(first);

            Path next = Files.createDirectories(dir.resolve("next"));
            selfSigned(next.resolve("cert.pem"), next.resolve("key.pem"), "second");
            Files.move(next.resolve("key.pem"), certs.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(next.resolve("cert.pem"), certs.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            String second = fingerprintOf(certs.resolve("cert.pem"));

            assertThat(second).isNotEqualTo(first);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(served(daemon)).isEqualTo(second));
            Result curl = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
                    certs.resolve("cert.pem").toString(), daemon.adminUrl() + "/stats");
            assertThat(curl.output()).isEqualTo("200");
        }
    }

    private static void selfSigned(Path cert, Path key, String name) throws Exception {
        Result result = run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        assertThat(result.exit()).as(result.output()).isZero();
    }

    private static String fingerprintOf(Path cert) throws Exception {
        Result openssl = run("openssl", "x509", "-in", cert.toString(), "-noout", "-fingerprint", "-sha256");
        return openssl.output().substring(openssl.output().indexOf('=') + 1).strip();
    }

    /** The fingerprint of the certificate the listener presents (read, not trusted: this only looks). */
    private static String served(RunningDaemon daemon) throws Exception {
        List<X509Certificate> seen = new ArrayList<>();
        TrustManager recorder = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.add(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recorder}, null);
        try (Socket socket = context.getSocketFactory().createSocket("127.0.0.1", daemon.daemon().adminAddress().getPort())) {
            ((SSLSocket) socket).startHandshake();
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(seen.getFirst().getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private record Result(int exit, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("CURL_CA_BUNDLE");
        builder.environment().remove("SSL_CERT_FILE");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.waitFor(), output);
    }
}
