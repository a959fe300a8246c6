package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Spawned;
import io.convey.testing.Tcp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SNI routing without terminating TLS, with real TLS peers: three {@code openssl s_server}s, each with its own
 * self-signed certificate (CN pool-a, pool-b, pool-c), behind one frontend that maps {@code a.example} to pool a,
 * {@code *.example} to pool b and everything else to its backend, pool c. The certificate a client receives names the
 * pool that was chosen; the TLS session itself runs end to end between client and server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SniRoutingWithRealTlsPeersTest {
    private static final int TEN_MB = 10 * 1024 * 1024;

    private Path dir;
    private final List<Spawned> servers = new ArrayList<>();
    private Engine engine;
    private NamedServer plain;
    private int frontend;
    private int lenient;
    private int strict;
    private int proxied;
    private String bigHash;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        byte[] big = new byte[TEN_MB];
        new Random(14).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        bigHash = sha256(big);
        List<Integer> ports = new ArrayList<>();
        for (String pool : List.of("a", "b", "c")) {
            run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=pool-" + pool, "-keyout", pool + ".key", "-out", pool + ".crt", "-days", "2");
            int port = Tcp.freeLoopbackPort();
            // -WWW serves the files of its working directory over HTTP/1.0 inside TLS.
            servers.add(Spawned.start(dir, "s_server-" + pool, List.of("openssl", "s_server", "-accept",
                    "127.0.0.1:" + port, "-cert", pool + ".crt", "-key", pool + ".key", "-WWW", "-quiet")));
            ports.add(port);
        }
        // The pools check once an hour: every server must listen before the first check.
        for (int port : ports) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
        plain = new NamedServer("plain");
        frontend = Tcp.freeLoopbackPort();
        lenient = Tcp.freeLoopbackPort();
        strict = Tcp.freeLoopbackPort();
        proxied = Tcp.freeLoopbackPort();
        engine = Engine.proxy(1);
        ReloadStatus applied = EngineFixture.apply(engine, """
                [frontends.tls]
                listen_addr = "127.0.0.1:%d"
                backend = "pool_c"
                [frontends.tls.sni]
                "a.example" = "pool_a"
                "*.Example" = "pool_b"

                [frontends.lenient]
                listen_addr = "127.0.0.1:%d"
                backend = "plain"
                sni_mismatch = "default"
                sni_timeout_ms = 400
                [frontends.lenient.sni]
                "a.example" = "pool_a"

                [frontends.strict]
                listen_addr = "127.0.0.1:%d"
                backend = "plain"
                sni_mismatch = "reject"
                sni_timeout_ms = 400
                [frontends.strict.sni]
                "a.example" = "pool_a"

                [frontends.proxied]
                listen_addr = "127.0.0.1:%d"
                backend = "pool_c"
                accept_proxy = true
                [frontends.proxied.sni]
                "a.example" = "pool_a"

                [backends.pool_a]
                health_check_interval = 3600
                [backends.pool_a.servers.a]
                addr = "127.0.0.1:%d"
                [backends.pool_b]
                health_check_interval = 3600
                [backends.pool_b.servers.b]
                addr = "127.0.0.1:%d"
                [backends.pool_c]
                health_check_interval = 3600
                [backends.pool_c.servers.c]
                addr = "127.0.0.1:%d"
                [backends.plain]
                health_check_interval = 3600
                [backends.plain.servers.p]
                addr = "%s"
                """.formatted(frontend, lenient, strict, proxied, ports.get(0), ports.get(1), ports.get(2), plain.addr()));
        assertThat(applied.ok()).as(applied.problems().toString()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> engine.pools().stream()
                .flatMap(p -> p.servers().stream()).allMatch(s -> s.up()));
    }

    @AfterAll
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (plain != null) {
            plain.close();
        }
        for (Spawned s : servers) {
            s.close();
        }
    }

    @Test
    void opensslClientsGetTheCertificateOfThePoolTheirServerNameMapsTo() throws Exception {
        assertThat(opensslSubject("-servername", "a.example")).isEqualTo("pool-a");
        assertThat(opensslSubject("-servername", "A.Example")).isEqualTo("pool-a");
        assertThat(opensslSubject("-servername", "b.example")).isEqualTo("pool-b");
        assertThat(opensslSubject("-servername", "deep.down.example")).isEqualTo("pool-b");
        assertThat(opensslSubject("-servername", "other.test")).isEqualTo("pool-c");
        assertThat(opensslSubject("-noservername")).isEqualTo("pool-c");
    }

    @Test
    void curlDownloadsTenMegabytesIntactThroughTheChosenPool() throws Exception {
        Path out = dir.resolve("download-" + System.nanoTime());
        String verbose = run("curl", "-sSvk", "--resolve", "x.example:" + frontend + ":127.0.0.1",
                "https://x.example:" + frontend + "/big.bin", "-o", out.toString());
        assertThat(verbose).contains("subject: CN=pool-b");
        assertThat(Files.size(out)).isEqualTo(TEN_MB);
        assertThat(sha256(Files.readAllBytes(out))).isEqualTo(bigHash);
    }

    @Test
    void aClientHelloSplitAcrossRecordsAndSegmentsIsStillRouted() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        for (String name : List.of("a.example", "z.example")) {
            SplittingSocket raw = new SplittingSocket();
            raw.connect(new InetSocketAddress("127.0.0.1", frontend), 5_000);
            raw.setTcpNoDelay(true);
            raw.setSoTimeout(10_000);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, name, frontend, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(name)));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                X509Certificate cert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
                assertThat(cert.getSubjectX500Principal().getName()).isEqualTo(name.startsWith("a") ? "CN=pool-a" : "CN=pool-b");
                assertThat(raw.splitRecords).as("the ClientHello went out as two records in three writes").isEqualTo(2);
                tls.getOutputStream().write("GET /a.crt HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.0 200").contains("-----BEGIN CERTIFICATE-----");
            }
        }
    }

    @Test
    void behindAProxyHeaderTheClientHelloThatFollowsItIsRouted() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        Socket raw = new Socket("127.0.0.1", proxied);
        raw.setSoTimeout(10_000);
        // The header and the ClientHello leave in separate writes; the header names a client that is not the socket's.
        raw.getOutputStream().write("PROXY TCP4 192.0.2.7 127.0.0.1 5555 443\r\n".getBytes(StandardCharsets.US_ASCII));
        raw.getOutputStream().flush();
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "a.example", proxied, true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName("a.example")));
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            X509Certificate cert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=pool-a");
        }
        assertThat(engine.stats().refusals("proxied").snapshot()).isEmpty();
    }

    @Test
    void nonTlsBytesGoToTheDefaultPoolOrAreRefused() throws Exception {
        try (Socket s = new Socket("127.0.0.1", lenient)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("hello, not TLS\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            // The plain server greets, then echoes the replayed bytes unchanged.
            assertThat(readAll(s.getInputStream())).isEqualTo("plain\nhello, not TLS\n");
        }
        try (Socket s = new Socket("127.0.0.1", strict)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("hello, not TLS\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(s.getInputStream())).isEmpty();
        }
        // Both listeners defer accepts by now (TCP_DEFER_ACCEPT, set at their first connection): the kernel hands a
        // silent client over after about a second, and the preamble's timeout still decides.
        try (Socket silent = new Socket("127.0.0.1", strict)) {
            silent.setSoTimeout(10_000);
            assertThat(readAll(silent.getInputStream())).as("closed after sni_timeout_ms").isEmpty();
        }
        try (Socket silent = new Socket("127.0.0.1", lenient)) {
            silent.setSoTimeout(10_000);
            // Nothing sent within sni_timeout_ms: the default pool's server speaks first.
            assertThat(new String(silent.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("plain\n");
        }
        await().untilAsserted(() -> assertThat(engine.stats().refusals("strict").snapshot())
                .containsEntry("not_tls", 2L));
        assertThat(engine.stats().refusals("lenient").snapshot()).isEmpty();
        assertThat(plain.accepted()).isGreaterThanOrEqualTo(2);
    }

    private String opensslSubject(String... nameArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + frontend));
        command.addAll(List.of(nameArgs));
        String out = run(command.toArray(String[]::new));
        var m = java.util.regex.Pattern.compile("subject=CN ?= ?(\\S+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /**
     * A socket whose first TLS record written (the ClientHello) goes out as two handshake records, written in three
     * pieces with a pause between them so that each arrives in its own TCP segment: the first piece ends inside the
     * first record's header, the second inside the second record's header.
     */
    private static final class SplittingSocket extends Socket {
        private int splitRecords;
        private OutputStream out;

        @Override
        public OutputStream getOutputStream() throws IOException {
            if (out == null) {
                OutputStream plainOut = super.getOutputStream();
                out = new OutputStream() {
                    private boolean first = true;

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (!first || len < 5 || b[off] != 0x16) {
                            plainOut.write(b, off, len);
                            return;
                        }
                        first = false;
                        int recordLength = ((b[off + 3] & 0xff) << 8) | (b[off + 4] & 0xff);
                        int cut = recordLength / 3;
                        ByteArrayOutputStream records = new ByteArrayOutputStream();
                        records.write(header(b, off, cut));
                        records.write(b, off + 5, cut);
                        records.write(header(b, off, recordLength - cut));
                        records.write(b, off + 5 + cut, recordLength - cut);
                        records.write(b, off + 5 + recordLength, len - 5 - recordLength); // anything after it
                        splitRecords = 2;
                        byte[] all = records.toByteArray();
                        int secondHeader = 5 + cut;
                        int[] pieces = {3, secondHeader + 2, all.length};
                        int from = 0;
                        for (int to : pieces) {
                            plainOut.write(all, from, to - from);
                            plainOut.flush();
                            from = to;
                            if (to < all.length) {
                                // A gap between writes so that they leave as separate segments: what the test is about,
                                // not a wait for a condition.
                                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(60));
                            }
                        }
                    }

                    @Override
                    public void flush() throws IOException {
                        plainOut.flush();
                    }
                };
            }
            return out;
        }

        private static byte[] header(byte[] b, int off, int length) {
            return new byte[] {0x16, b[off + 1], b[off + 2], (byte) (length >> 8), (byte) length};
        }
    }

    /** Trusts every certificate: the test reads which one the server sent, it does not authenticate it. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
