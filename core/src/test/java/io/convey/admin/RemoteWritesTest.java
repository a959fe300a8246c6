package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes from an untrusted address need the bearer token. The daemon trusts loopback except 127.0.0.2, and
 * the "remote" client is a raw socket bound to 127.0.0.2 (java.net.http cannot choose its local address).
 */
class RemoteWritesTest {
    private static final InetAddress REMOTE = InetAddress.ofLiteral("127.0.0.2");
    private static final Predicate<InetAddress> ALL_LOOPBACK_BUT_REMOTE = a -> a.isLoopbackAddress() && !a.equals(REMOTE);
    private static final String PATCH_WEIGHT = "{\"weight\": 4}";

    @Test
    void withoutATokenFileRemoteWritesAre403AndReadsStayOpen(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()),
                        ALL_LOOPBACK_BUT_REMOTE)) {
            Api api = new Api(daemon);
            String before = api.fileDigestAndVersion();

            String denied = remote(daemon, "PATCH", "/api/v1/backends/p/servers/a", PATCH_WEIGHT, null);
            assertThat(denied).startsWith("HTTP/1.1 403").contains("admin.token_file").contains("token_file in [admin]");
            assertThat(api.fileDigestAndVersion()).isEqualTo(before);
            assertThat(remote(daemon, "GET", "/api/v1/status", null, null)).startsWith("HTTP/1.1 200");
            assertThat(remote(daemon, "POST", "/api/v1/backends/p/preview", "{\"weights\": {\"a\": 3}}", null))
                    .as("the what-if preview changes nothing: open like a read").startsWith("HTTP/1.1 200");
            assertThat(api.fileDigestAndVersion()).isEqualTo(before);

            assertThat(api.send("PATCH", "/api/v1/backends/p/servers/a", PATCH_WEIGHT).statusCode())
                    .as("loopback writes need no token").isEqualTo(200);
        }
    }

    @Test
    void withATokenFileTheRightTokenWritesAndAWrongOneIs401(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("admin.token"), "s3cret-token\n");
        String config = Configs.onePool("round_robin", "a", "127.0.0.1:1") + """

                [admin]
                token_file = "admin.token"
                """;
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, config.replace("127.0.0.1:1", a.addr()),
                        ALL_LOOPBACK_BUT_REMOTE)) {
            Api api = new Api(daemon);
            String before = api.fileDigestAndVersion();

            assertThat(remote(daemon, "PATCH", "/api/v1/backends/p/servers/a", PATCH_WEIGHT, "wrong-token"))
                    .startsWith("HTTP/1.1 401").contains("WWW-Authenticate: Bearer");
            assertThat(remote(daemon, "PATCH", "/api/v1/backends/p/servers/a", PATCH_WEIGHT, null)).startsWith("HTTP/1.1 401");
            assertThat(api.fileDigestAndVersion()).isEqualTo(before);

            assertThat(remote(daemon, "PATCH", "/api/v1/backends/p/servers/a", PATCH_WEIGHT, "s3cret-token"))
                    .startsWith("HTTP/1.1 200");
            assertThat(daemon.daemon().engine().config().backends().get("p").servers().get("a").weight()).isEqualTo(4);
        }
    }

    /** One HTTP/1.1 request from 127.0.0.2; returns the whole response (status line, headers, body). */
    private static String remote(RunningDaemon daemon, String method, String path, String body, String token)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: appliance\r\n"
                + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.bind(new InetSocketAddress(REMOTE, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.daemon().adminAddress().getPort()));
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
