package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.HeadEchoServer;
import io.convey.testing.Spawned;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * PROXY protocol both ways against Debian's HAProxy: Convey's {@code send_proxy} to an HAProxy {@code accept-proxy}
 * listener that forwards the client it learns as X-Forwarded-For, and HAProxy's {@code send-proxy-v2} to a Convey
 * {@code accept_proxy} frontend whose own header to the server then names the original client. Clients connect from
 * 127.0.0.2 (or ::1), so the address that arrives shows whether it came through the headers or from the sockets
 * (every proxy here connects from 127.0.0.1).
 */
class ProxyProtocolAgainstHaproxyTest {
    private static final InetSocketAddress FROM_V4 = new InetSocketAddress("127.0.0.2", 0);
    private static final InetSocketAddress FROM_V6 = new InetSocketAddress("::1", 0);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void haproxyBehindConveySeesTheRealClientInBothFamilies(String version) throws Exception {
        int haproxyPort = Tcp.freeLoopbackPort();
        int v4 = Tcp.freeLoopbackPort();
        int v6 = Tcp.freeLoopbackPort();
        try (HeadEchoServer web = new HeadEchoServer();
                Spawned haproxy = haproxy("""
                        defaults
                          mode http
                          timeout connect 5s
                          timeout client 10s
                          timeout server 10s
                        frontend fe
                          bind 127.0.0.1:%d accept-proxy
                          option forwardfor
                          default_backend be
                        backend be
                          server web %s
                        """.formatted(haproxyPort, web.addr()), haproxyPort);
                Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.v4]
                    listen_addr = "127.0.0.1:%1$d"
                    backend = "haproxy"
                    [frontends.v6]
                    listen_addr = "[::1]:%2$d"
                    backend = "haproxy"
                    [backends.haproxy]
                    send_proxy = "%3$s"
                    health_check_interval_ms = 200
                    [backends.haproxy.servers.h]
                    addr = "127.0.0.1:%4$d"
                    """.formatted(v4, v6, version, haproxyPort));
            // Health checks are plain TCP connects, which an accept-proxy listener takes (and drops) without harm.
            await().atMost(Duration.ofSeconds(10)).until(() -> EngineFixture.server(engine, "haproxy", "h").up());

            String answer = HeadEchoServer.get(FROM_V4, new InetSocketAddress("127.0.0.1", v4));
            // HAProxy 2.6 writes header names in lower case.
            assertThat(answer).as(haproxy.output()).containsIgnoringCase("X-Forwarded-For: 127.0.0.2\r\n");
            String answer6 = HeadEchoServer.get(FROM_V6, new InetSocketAddress("::1", v6));
            assertThat(answer6).as(haproxy.output()).containsIgnoringCase("X-Forwarded-For: ::1\r\n");
            assertThat(EngineFixture.server(engine, "haproxy", "h").up()).isTrue();
        }
    }

    @Test
    void conveyBehindHaproxyRoutesAndReportsTheClientFromItsV2Header() throws Exception {
        int convey = Tcp.freeLoopbackPort();
        int v4 = Tcp.freeLoopbackPort();
        int v6 = Tcp.freeLoopbackPort();
        try (HeadEchoServer web = new HeadEchoServer(); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.edge]
                    listen_addr = "127.0.0.1:%d"
                    backend = "web"
                    accept_proxy = true
                    [backends.web]
                    send_proxy = "v1"
                    algorithm = "maglev"
                    [backends.web.servers.w]
                    addr = "%s"
                    """.formatted(convey, web.addr()));
            // HAProxy's own checks send a LOCAL header (check-send-proxy): accepted, with the socket's addresses.
            try (Spawned haproxy = haproxy("""
                    defaults
                      mode tcp
                      timeout connect 5s
                      timeout client 10s
                      timeout server 10s
                    frontend fe
                      bind 127.0.0.1:%d
                      bind [::1]:%d
                      default_backend be
                    backend be
                      server convey 127.0.0.1:%d send-proxy-v2 check check-send-proxy inter 200
                    """.formatted(v4, v6, convey), v4)) {
                String answer = HeadEchoServer.get(FROM_V4, new InetSocketAddress("127.0.0.1", v4));
                assertThat(answer).as(haproxy.output()).containsPattern(
                        "\r\n\r\nPROXY TCP4 127\\.0\\.0\\.2 127\\.0\\.0\\.1 \\d+ " + v4 + "\r\nGET / HTTP/1\\.0\r\n");
                String answer6 = HeadEchoServer.get(FROM_V6, new InetSocketAddress("::1", v6));
                assertThat(answer6).as(haproxy.output()).containsPattern(
                        "\r\n\r\nPROXY TCP6 ::1 ::1 \\d+ " + v6 + "\r\nGET / HTTP/1\\.0\r\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> web.requests() >= 2
                        && engine.stats().frontend("edge").snapshot().totalConnections() >= 4);
            }
            assertThat(engine.stats().refusals("edge").snapshot()).isEmpty();
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsRefusedAfterTheTimeoutAndCounted() throws Exception {
        int port = Tcp.freeLoopbackPort();
        try (HeadEchoServer web = new HeadEchoServer(); Engine engine = Engine.proxy(1)) {
            EngineFixture.apply(engine, """
                    [frontends.edge]
                    listen_addr = "127.0.0.1:%d"
                    backend = "web"
                    accept_proxy = true
                    accept_proxy_timeout_ms = 300
                    [backends.web.servers.w]
                    addr = "%s"
                    """.formatted(port, web.addr()));
            long started = System.nanoTime();
            try (Socket silent = new Socket("127.0.0.1", port)) {
                silent.setSoTimeout(10_000);
                assertThat(silent.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(HeadEchoServer.get(FROM_V4, new InetSocketAddress("127.0.0.1", port))).isNull();

            try (Socket wrong = new Socket("127.0.0.1", port)) {
                wrong.setSoTimeout(10_000);
                wrong.getOutputStream().write("PROXY TCP4 nonsense\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readToEnd(wrong.getInputStream())).isEmpty();
            }
            await().untilAsserted(() -> assertThat(engine.stats().refusals("edge").snapshot())
                    .containsEntry("proxy_header_missing", 1L).containsEntry("proxy_header_invalid", 2L));
            assertThat(web.requests()).isZero();
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** Starts HAProxy in the foreground with {@code config} and waits until it listens on {@code port}. */
    private Spawned haproxy(String config, int port) throws IOException {
        Path file = dir.resolve("haproxy-" + port + ".cfg");
        Files.writeString(file, config);
        Spawned haproxy = Spawned.start(dir, "haproxy-" + port, List.of("haproxy", "-db", "-f", file.toString()));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertThat(haproxy.alive()).as(haproxy.output()).isTrue();
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return haproxy;
    }
}
