package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.stats.QueueCounters;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy mode with real sockets: the access-log lines of connections that wait in a pool's queue (timed out, turned
 * away by a full queue, or served once a slot frees) and of connections whose preamble is refused (no valid PROXY
 * header in time, non-TLS bytes on an SNI frontend that rejects them).
 */
class QueueAndPreambleEndingsInTheAccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long QUEUE_TIMEOUT_MS = 300;
    private static final long PREAMBLE_TIMEOUT_MS = 300;

    /** A pool whose one server takes one connection at a time, with a queue in front; {@code f} logs to {@code log}. */
    private static String queueConfig(NamedServer a, Path log, int queueSize, long queueTimeoutMs) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                access_log = "%s"
                [backends.p]
                health_check_interval = 3600
                queue_size = %d
                queue_timeout_ms = %d
                [backends.p.servers.a]
                addr = "%s"
                max_connections = 1
                """.formatted(Tcp.freeLoopbackPort(), log, queueSize, queueTimeoutMs, a.addr());
    }

    @Test
    void aClientQueuedPastTheTimeoutIsLoggedAsQueueTimeoutWithItsWait(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, queueConfig(a, log, 10, QUEUE_TIMEOUT_MS));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            try (var holder = Clients.open(frontend); var late = openQueued(engine, holder)) {
                assertThat(late.greeting.get(20, TimeUnit.SECONDS)).as("closed without a server").isNull();

                JsonNode line = lineOf(log, "f", late);
                assertThat(line.get("ending").asText()).isEqualTo("queue_timeout");
                assertThat(line.get("queue_ms").asDouble()).isGreaterThanOrEqualTo(QUEUE_TIMEOUT_MS);
                assertThat(line.get("duration_ms").asDouble()).isGreaterThanOrEqualTo(QUEUE_TIMEOUT_MS);
                assertThat(line.get("server").isNull()).isTrue();
                assertThat(line.get("server_addr").isNull()).isTrue();
                assertThat(line.get("pool").asText()).isEqualTo("p");
                assertThat(line.get("connect_ms").asDouble()).isZero();
                assertThat(line.get("bytes_from_server").asLong()).isZero();
                assertThat(queue(engine).timedOut()).isEqualTo(1);
            }
        }
    }

    @Test
    void aClientFindingTheQueueFullIsLoggedAsQueueTimeoutAndTheWaiterServedLaterKeepsItsWait(@TempDir Path dir)
            throws Exception {
        Path log = dir.resolve("access.log");
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, queueConfig(a, log, 1, 600_000));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            var holder = Clients.open(frontend);
            try (holder; var waiting = openQueued(engine, holder)) {
                long queuedBy = System.nanoTime();
                try (var refused = Clients.open(frontend)) {
                    assertThat(refused.greeting.get(20, TimeUnit.SECONDS)).as("closed at once").isNull();
                    JsonNode line = lineOf(log, "f", refused);
                    assertThat(line.get("ending").asText()).isEqualTo("queue_timeout");
                    assertThat(line.get("queue_ms").asDouble()).as("never waited").isZero();
                    assertThat(line.get("server").isNull()).isTrue();
                    assertThat(line.get("pool").asText()).isEqualTo("p");
                }
                assertThat(queue(engine).full()).isEqualTo(1);
                assertThat(waiting.greeting).isNotDone();

                holder.close();
                long waitedAtLeastNanos = System.nanoTime() - queuedBy;
                assertThat(waiting.greeting.get(20, TimeUnit.SECONDS)).isEqualTo("a");
                waiting.close();

                JsonNode served = lineOf(log, "f", waiting);
                assertThat(served.get("ending").asText()).isEqualTo("client_closed");
                assertThat(served.get("server").asText()).isEqualTo("a");
                assertThat(served.get("server_addr").asText()).isEqualTo(a.addr());
                assertThat(served.get("queue_ms").asDouble()).isPositive()
                        .isGreaterThanOrEqualTo(waitedAtLeastNanos / 1_000 / 1e3); // the line keeps whole microseconds
                assertThat(served.get("connect_ms").asDouble()).isPositive();
                assertThat(served.get("bytes_from_server").asLong()).as("the greeting").isEqualTo(2);

                JsonNode first = lineOf(log, "f", holder);
                assertThat(first.get("ending").asText()).isEqualTo("client_closed");
                assertThat(first.get("queue_ms").asDouble()).as("served at once").isZero();
                assertThat(first.get("server").asText()).isEqualTo("a");
            }
        }
    }

    @Test
    void aMissingOrInvalidProxyHeaderIsLoggedAsPreambleRefused(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.edge]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    accept_proxy = true
                    accept_proxy_timeout_ms = %d
                    access_log = "%s"
                    [backends.p]
                    health_check_interval = 3600
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), PREAMBLE_TIMEOUT_MS, log, a.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("edge");
            int checks = a.accepted();

            int garbage = refusedAfterSending(frontend, "GET / HTTP/1.1\r\nHost: example\r\n\r\n");
            int silent = refusedAfterSending(frontend, "");
            // the v2 signature, then a whole header of version 9 with 12 address bytes
            int v2Garbage = refusedAfterSending(frontend,
                    "\r\n\r\n\0\r\nQUIT\n\u0091\u0011\u0000\u000c" + "x".repeat(12));

            JsonNode invalid = lineOf(log, "edge", garbage);
            assertThat(invalid.get("ending").asText()).isEqualTo("preamble_refused");
            assertThat(invalid.get("server").isNull()).isTrue();
            assertThat(invalid.get("pool").asText()).isEqualTo("p");
            assertThat(invalid.get("client").asText()).as("no header: the socket's peer")
                    .isEqualTo("127.0.0.1:" + garbage);
            assertThat(invalid.get("queue_ms").asDouble()).isZero();
            assertThat(invalid.get("connect_ms").asDouble()).isZero();

            JsonNode missing = lineOf(log, "edge", silent);
            assertThat(missing.get("ending").asText()).isEqualTo("preamble_refused");
            assertThat(missing.get("server").isNull()).isTrue();
            assertThat(missing.get("duration_ms").asDouble()).as("closed at accept_proxy_timeout_ms")
                    .isGreaterThanOrEqualTo(PREAMBLE_TIMEOUT_MS);

            assertThat(lineOf(log, "edge", v2Garbage).get("ending").asText()).isEqualTo("preamble_refused");
            await().untilAsserted(() -> assertThat(engine.stats().refusals("edge").snapshot())
                    .containsEntry("proxy_header_invalid", 2L).containsEntry("proxy_header_missing", 1L));
            assertThat(a.accepted()).as("no refused client reaches the server").isEqualTo(checks);
        }
    }

    @Test
    void nonTlsBytesOnARejectingSniFrontendAreLoggedAsPreambleRefused(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.strict]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    sni_mismatch = "reject"
                    sni_timeout_ms = %d
                    access_log = "%s"
                    [frontends.strict.sni]
                    "a.example" = "p"
                    [backends.p]
                    health_check_interval = 3600
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), PREAMBLE_TIMEOUT_MS, log, a.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("strict");
            int checks = a.accepted();

            int plainText = refusedAfterSending(frontend, "hello, not TLS\n");
            int silent = refusedAfterSending(frontend, "");
            // a TLS alert record of length 0: Netty's parser closes the connection itself before it reports it
            int badRecord = refusedAfterSending(frontend, "\u0015\u0003\u0001\u0000\u0000");
            // a ClientHello announcing 65,537 bytes, over the 64 KiB the peek holds
            int tooLarge = refusedAfterSending(frontend, "\u0016\u0003\u0001\u0000\u0004\u0001\u0001\u0000\u0001");

            JsonNode notTls = lineOf(log, "strict", plainText);
            assertThat(notTls.get("ending").asText()).isEqualTo("preamble_refused");
            assertThat(notTls.get("server").isNull()).isTrue();
            assertThat(notTls.get("server_addr").isNull()).isTrue();
            assertThat(notTls.get("pool").asText()).isEqualTo("p");
            assertThat(notTls.get("client").asText()).isEqualTo("127.0.0.1:" + plainText);
            assertThat(notTls.get("bytes_from_client").asLong()).as("nothing was relayed").isZero();

            JsonNode noHello = lineOf(log, "strict", silent);
            assertThat(noHello.get("ending").asText()).isEqualTo("preamble_refused");
            assertThat(noHello.get("duration_ms").asDouble()).as("closed at sni_timeout_ms")
                    .isGreaterThanOrEqualTo(PREAMBLE_TIMEOUT_MS);
            assertThat(lineOf(log, "strict", badRecord).get("ending").asText()).isEqualTo("preamble_refused");
            assertThat(lineOf(log, "strict", tooLarge).get("ending").asText()).isEqualTo("preamble_refused");
            await().untilAsserted(() -> assertThat(engine.stats().refusals("strict").snapshot())
                    .containsEntry("not_tls", 3L).containsEntry("client_hello_too_large", 1L));
            assertThat(a.accepted()).as("no refused client reaches the server").isEqualTo(checks);
        }
    }

    private static QueueCounters.Snapshot queue(Engine engine) {
        return engine.pools().getFirst().queue();
    }

    /** Opens a client once {@code holder} has the server's one slot, and waits until it stands in the queue. */
    private static Clients.Held openQueued(Engine engine, Clients.Held holder) throws Exception {
        assertThat(holder.greeting.get(20, TimeUnit.SECONDS)).isEqualTo("a");
        var queued = Clients.open(engine.boundAddress("f"));
        await().until(() -> queue(engine).current() == 1);
        return queued;
    }

    /**
     * Connects, sends {@code bytes} (nothing: stays silent), and reads until the proxy closes the connection, which it
     * must do without a byte from a server; returns the client's port, which names its access-log line.
     */
    private static int refusedAfterSending(InetSocketAddress frontend, String bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(frontend, 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            try {
                assertThat(in.readAllBytes()).as("nothing from a server").isEmpty();
            } catch (java.net.SocketException reset) {
                // closed with unread bytes from the client: a reset is the proxy's close too
            }
            return s.getLocalPort();
        }
    }

    private static JsonNode lineOf(Path log, String frontend, Clients.Held client) {
        return lineOf(log, frontend, client.socket.getLocalPort());
    }

    /** Waits for the access-log line of the client on 127.0.0.1:{@code port} and returns it. */
    private static JsonNode lineOf(Path log, String frontend, int port) {
        String client = "127.0.0.1:" + port;
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            if (!Files.exists(log)) {
                return false;
            }
            List<JsonNode> lines = Files.readAllLines(log).stream().map(QueueAndPreambleEndingsInTheAccessLogTest::json)
                    .filter(j -> j.get("frontend").asText().equals(frontend) && j.get("client").asText().equals(client))
                    .toList();
            assertThat(lines).as("one line per connection").hasSizeLessThanOrEqualTo(1);
            found.set(lines.isEmpty() ? null : lines.getFirst());
            return found.get() != null;
        });
        return found.get();
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
