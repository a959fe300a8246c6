package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy mode with real sockets: a frontend's allow/deny lists and rate limit turn connections away at accept, before
 * any server is chosen, and count them; the access log has a line for each way a connection ends.
 */
class ProxyAdmissionAndAccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Connects from {@code source} and reads the greeting; null when the proxy closed or reset the connection. */
    static String greetingFrom(String source, InetSocketAddress frontend) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(frontend, 2000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.isEmpty() ? null : line.toString();
        } catch (IOException e) {
            return null; // reset by the proxy
        }
    }

    @Test
    void anAclRefusesOneSourceAddressAtAcceptAndCountsIt() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    deny = ["127.0.0.2"]
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), a.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            int acceptedBefore = a.accepted();
            for (int i = 0; i < 5; i++) {
                assertThat(greetingFrom("127.0.0.2", frontend)).isNull();
                assertThat(greetingFrom("127.0.0.1", frontend)).isEqualTo("a");
            }
            assertThat(engine.stats().admission("f").snapshot().refusedByAcl()).isEqualTo(5);
            assertThat(a.accepted() - acceptedBefore).as("refused clients never reach a server").isEqualTo(5);
            assertThat(engine.stats().frontend("f").snapshot().totalConnections()).isEqualTo(5);

            // an allow list without 127.0.0.1: deny wins where both match, the rest is refused
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "%s"
                    backend = "p"
                    allow = ["127.0.0.0/8"]
                    deny = ["127.0.0.1/32"]
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted("127.0.0.1:" + frontend.getPort(), a.addr()));
            assertThat(greetingFrom("127.0.0.1", frontend)).isNull();
            assertThat(greetingFrom("127.0.0.3", frontend)).isEqualTo("a");
            assertThat(engine.stats().admission("f").snapshot().refusedByAcl()).as("kept across the reload").isEqualTo(6);
        }
    }

    /** Connects from 127.0.0.1, sends a PROXY v1 header naming {@code client}, and reads the greeting (null: refused). */
    static String greetingBehindProxyHeader(String client, InetSocketAddress frontend) {
        try (Socket s = new Socket()) {
            s.connect(frontend, 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("PROXY TCP4 " + client + " 127.0.0.1 40000 " + frontend.getPort() + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.isEmpty() ? null : line.toString();
        } catch (IOException e) {
            return null; // reset by the proxy
        }
    }

    @Test
    void behindAProxyHeaderTheListsJudgeTheClientItNamesNotTheBalancerInFront(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    accept_proxy = true
                    deny = ["192.0.2.66"]
                    access_log = "%s"
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), log, a.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            int acceptedBefore = a.accepted();
            assertThat(greetingBehindProxyHeader("192.0.2.66", frontend)).as("the denied client").isNull();
            assertThat(greetingBehindProxyHeader("192.0.2.7", frontend)).as("another client, same balancer").isEqualTo("a");
            assertThat(a.accepted() - acceptedBefore).as("the refused client never reaches a server").isEqualTo(1);
            assertThat(engine.stats().admission("f").snapshot().refusedByAcl()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.exists(log)
                    && Files.readString(log).contains("\"client\":\"192.0.2.66:40000\"")
                    && Files.readString(log).contains("\"ending\":\"refused_by_acl\"")).isTrue());
        }
    }

    @Test
    void aRateLimitLetsTheBurstThroughAndRefusesTheRest() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    rate_limit = 1
                    rate_limit_burst = 3
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), a.addr()));
            EngineFixture.awaitAllChecked(engine);
            InetSocketAddress frontend = engine.boundAddress("f");
            long started = System.nanoTime();
            List<String> greetings = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                greetings.add(greetingFrom("127.0.0.5", frontend));
            }
            long elapsedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
            long served = greetings.stream().filter("a"::equals).count();
            // the burst, and one more per whole second the ten attempts took (at 1/s)
            assertThat(greetings.subList(0, 3)).containsOnly("a");
            assertThat(served).isBetween(3L, 3 + elapsedSeconds + 1);
            assertThat(engine.stats().admission("f").snapshot().rateLimited()).isEqualTo(10 - served);
            assertThat(greetingFrom("127.0.0.6", frontend)).as("another source has its own burst").isEqualTo("a");
        }
    }

    @Test
    void theAccessLogHasALineForEachEnding(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("access.log");
        Path text = dir.resolve("access.txt");
        try (NamedServer echo = new NamedServer("echo"); NamedServer gone = new NamedServer("gone");
                ServerSocket closer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Engine engine = Engine.proxy(1)) {
            Thread.ofVirtual().start(() -> {
                while (!closer.isClosed()) {
                    try (Socket s = closer.accept()) {
                        s.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            int[] ports = new int[6];
            for (int i = 0; i < ports.length; i++) {
                ports[i] = Tcp.freeLoopbackPort();
            }
            String logged = "access_log = \"" + log + "\"\n";
            EngineFixture.apply(engine, """
                    [frontends.web]
                    listen_addr = "127.0.0.1:%d"
                    backend = "echo"
                    deny = ["127.0.0.2"]
                    %s
                    [frontends.limited]
                    listen_addr = "127.0.0.1:%d"
                    backend = "echo"
                    rate_limit = 1
                    %s
                    [frontends.idle]
                    listen_addr = "127.0.0.1:%d"
                    backend = "slow"
                    %s
                    [frontends.none]
                    listen_addr = "127.0.0.1:%d"
                    backend = "off"
                    %s
                    [frontends.gone]
                    listen_addr = "127.0.0.1:%d"
                    backend = "gone"
                    %s
                    [frontends.closer]
                    listen_addr = "127.0.0.1:%d"
                    backend = "closer"
                    access_log = "%s"
                    access_log_format = "text"
                    [backends.echo]
                    health_check_interval = 3600
                    servers.s1.addr = "%s"
                    [backends.slow]
                    idle_timeout_s = 1
                    health_check_interval = 3600
                    servers.s1.addr = "%s"
                    [backends.off]
                    servers.s1.addr = "%s"
                    servers.s1.state = "disabled"
                    [backends.gone]
                    health_check_interval = 3600
                    servers.s1.addr = "%s"
                    [backends.closer]
                    health_check_interval = 3600
                    servers.s1.addr = "127.0.0.1:%d"
                    """.formatted(ports[0], logged, ports[1], logged, ports[2], logged, ports[3], logged, ports[4],
                    logged, ports[5], text, echo.addr(), echo.addr(), echo.addr(), gone.addr(), closer.getLocalPort()));
            EngineFixture.awaitAllChecked(engine);
            gone.close(); // refuses from now on, but stays up until its next check in an hour

            assertThat(Tcp.exchange(engine.boundAddress("web"), "hello")).isEqualTo("echo/hello"); // client_closed
            assertThat(greetingFrom("127.0.0.2", engine.boundAddress("web"))).isNull(); // refused_by_acl
            assertThat(greetingFrom("127.0.0.1", engine.boundAddress("limited"))).isEqualTo("echo");
            assertThat(greetingFrom("127.0.0.1", engine.boundAddress("limited"))).isNull(); // rate_limited
            assertThat(greetingFrom("127.0.0.1", engine.boundAddress("none"))).isNull(); // no_server
            assertThat(greetingFrom("127.0.0.1", engine.boundAddress("gone"))).isNull(); // connect_failed
            try (Socket idle = new Socket()) { // idle_timeout: connected, then silent past the pool's 1 s
                idle.connect(engine.boundAddress("idle"));
                idle.setSoTimeout(10_000);
                InputStream in = idle.getInputStream();
                while (in.read() >= 0) {
                    // the greeting, then the end the proxy gives the idle connection
                }
            }
            // server_closed: the client reads to the end the proxy relays from the server before it closes its side,
            // so the server's close comes first whatever the timing
            try (Socket closing = new Socket()) {
                closing.connect(engine.boundAddress("closer"), 2000);
                closing.setSoTimeout(5000);
                assertThat(new String(closing.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("bye\n");
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 7);
            List<JsonNode> lines = Files.readAllLines(log).stream().map(ProxyAdmissionAndAccessLogTest::json).toList();
            assertThat(lines.stream().map(j -> j.get("ending").asText())).containsExactlyInAnyOrder("client_closed",
                    "refused_by_acl", "client_closed", "rate_limited", "no_server", "connect_failed", "idle_timeout");
            Map<String, JsonNode> byEnding = lines.stream().filter(j -> !j.get("frontend").asText().equals("limited")
                    || !j.get("ending").asText().equals("client_closed"))
                    .collect(Collectors.toMap(j -> j.get("ending").asText(), j -> j));
            JsonNode served = byEnding.get("client_closed");
            assertThat(served.get("frontend").asText()).isEqualTo("web");
            assertThat(served.get("pool").asText()).isEqualTo("echo");
            assertThat(served.get("server").asText()).isEqualTo("s1");
            assertThat(served.get("server_addr").asText()).isEqualTo(echo.addr());
            assertThat(served.get("bytes_from_client").asLong()).isEqualTo(6);
            assertThat(served.get("bytes_from_server").asLong()).isEqualTo(11);
            assertThat(served.get("client").asText()).startsWith("127.0.0.1:");
            assertThat(served.get("connect_ms").asDouble()).isPositive();
            assertThat(served.get("queue_ms").asDouble()).isZero();
            assertThat(byEnding.get("refused_by_acl").get("client").asText()).startsWith("127.0.0.2:");
            assertThat(byEnding.get("refused_by_acl").get("server").isNull()).isTrue();
            assertThat(byEnding.get("refused_by_acl").get("pool").asText()).isEqualTo("echo");
            assertThat(byEnding.get("idle_timeout").get("duration_ms").asDouble()).isGreaterThanOrEqualTo(1000);

            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(text) && Files.readAllLines(text).size() == 1);
            assertThat(Files.readAllLines(text).getFirst()).contains(" convey-access[closer]: client=127.0.0.1:",
                    " pool=closer server=s1 ", " bytes_from_client=0 bytes_from_server=4 ", " ending=server_closed");
            assertThat(engine.accessLogs().latest(e -> e.frontend().equals("closer"), 10)).hasSize(1);
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
