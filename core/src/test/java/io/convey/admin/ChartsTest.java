package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Charts come back as real PNG and SVG images, with the recent events available as markers. */
class ChartsTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void trafficAndConnectionChartsArePngAndSvg(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    Api.json(api.get("/api/v1/stats/series?seconds=10")).at("/scopes/appliance").size() >= 2);
            assertThat(api.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}").statusCode()).isEqualTo(200);
            assertThat(Api.json(api.get("/api/v1/events/recent")).get("events"))
                    .anySatisfy(e -> assertThat(e.get("type").asText()).isEqualTo("config"));

            HttpResponse<byte[]> png = bytes(daemon, "/api/v1/charts/traffic.png?seconds=60");
            assertThat(png.statusCode()).isEqualTo(200);
            assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(png.body()).startsWith(PNG_MAGIC);

            HttpResponse<byte[]> svg = bytes(daemon, "/api/v1/charts/connections.svg?scope=server/p/a");
            assertThat(svg.statusCode()).isEqualTo(200);
            assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
            assertThat(new String(svg.body(), StandardCharsets.UTF_8)).contains("<svg").contains("</svg>");

            assertThat(bytes(daemon, "/api/v1/charts/traffic.gif").statusCode()).isEqualTo(404);
            assertThat(bytes(daemon, "/api/v1/charts/traffic.png?scope=pool/nope").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<byte[]> bytes(RunningDaemon daemon, String path) throws Exception {
        return daemon.httpClient().send(HttpRequest.newBuilder(URI.create(daemon.adminUrl() + path))
                        .header("Authorization", "Bearer " + daemon.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
