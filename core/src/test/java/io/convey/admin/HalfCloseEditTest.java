package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.RunningDaemon;
import io.convey.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool's {@code half_close} edited through the API: written to the file, shown by the read routes, refused with a
 * 4xx that changes nothing when it is not a boolean, and acting on the next connection through the daemon: with it
 * on, a server that sends its FIN still gets the client's answer; with it off, that FIN ends the server's connection.
 */
@Timeout(60)
class HalfCloseEditTest {

    @Test
    void theEditIsWrittenShownAndActsOnTheNextConnection(@TempDir Path dir) throws Exception {
        try (GreetingServer server = new GreetingServer();
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", server.addr()))) {
            Api api = new Api(daemon);
            InetSocketAddress frontend = daemon.frontend("f");
            assertThat(Api.json(api.get("/api/v1/backends/p")).get("half_close").asBoolean()).isTrue();
            assertThat(server.answerAfterItsFin(frontend, true)).isEqualTo("thanks");

            long version = api.version();
            var notBool = api.send("PATCH", "/api/v1/backends/p", "{\"half_close\": \"no\"}");
            assertThat(notBool.statusCode()).isEqualTo(400);
            assertThat(notBool.body()).contains("backends.p.half_close");
            assertThat(api.version()).isEqualTo(version);
            assertThat(api.fileText()).doesNotContain("half_close");

            var off = api.send("PATCH", "/api/v1/backends/p", "{\"half_close\": false}");
            assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
            assertThat(api.fileText()).startsWith("# the appliance under test\n").contains("half_close = false");
            assertThat(daemon.daemon().engine().config().backends().get("p").traffic().halfClose()).isFalse();
            assertThat(Api.json(api.get("/api/v1/backends/p")).get("half_close").asBoolean()).isFalse();
            assertThat(Api.json(api.get("/api/v1/config")).get("backends").get("p").get("half_close").asBoolean())
                    .isFalse();
            assertThat(server.answerAfterItsFin(frontend, false)).isEmpty();
        }
    }

    /**
     * Answers a client's "hi" line with a greeting and its FIN, then reads what the client sends until its own EOF.
     * The health checks' connections send nothing and are not counted.
     */
    private static final class GreetingServer implements AutoCloseable {
        private volatile CompletableFuture<String> afterFin = new CompletableFuture<>();
        private final TestServer server = TestServer.start(this::serve);

        String addr() {
            return "127.0.0.1:" + server.address().getPort();
        }

        private void serve(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            if (in.readNBytes(3).length < 3) {
                return; // a health check
            }
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            try {
                afterFin.complete(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                afterFin.complete("reset: " + e.getMessage());
            }
        }

        /**
         * What the server read after its FIN on one connection through {@code frontend}; the client reads the greeting
         * to its end, then answers and closes when {@code answer}, or else stays open and silent.
         */
        String answerAfterItsFin(InetSocketAddress frontend, boolean answer) throws Exception {
            afterFin = new CompletableFuture<>();
            try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
                client.setSoTimeout(5_000);
                client.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
                if (answer) {
                    client.getOutputStream().write("thanks".getBytes(StandardCharsets.US_ASCII));
                    client.shutdownOutput();
                }
                return afterFin.get(5, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
