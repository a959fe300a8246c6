package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Server-Sent Events stream carries stats every second, health changes within a check interval, and config changes. */
class EventStreamTest {

    @Test
    void streamDeliversStatsHealthAndConfigEvents(@TempDir Path dir) throws Exception {
        NamedServer b = new NamedServer("b");
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr(), "b", b.addr()))) {
            await().until(() -> daemon.daemon().engine().pools().getFirst().servers().stream()
                    .allMatch(s -> s.health() != null && s.health().checked()));
            HttpClient client = daemon.httpClient();
            HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(
                    URI.create(daemon.adminUrl() + "/api/v1/events")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + daemon.token()).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    response.body().forEach(lines::add);
                } catch (java.io.UncheckedIOException e) {
                    // the test closed the stream
                }
            });
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains("event: stats"));
                assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("data: {\"t\":").contains("\"appliance\""));

                b.close();
                // one check interval (200 ms) with fall = 1, plus scheduling margin
                await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(eventData(lines, "health"))
                        .anySatisfy(d -> assertThat(d).contains("\"server\":\"b\"").contains("\"up\":false")));

                new Api(daemon).send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 3}");
                await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(eventData(lines, "config"))
                        .anySatisfy(d -> assertThat(d).contains("\"config_version\":2").contains("\"source\":\"api\"")
                                .contains("weight 3")));
            } finally {
                response.body().close();
                reader.interrupt();
            }
        }
    }

    /** The data lines that follow {@code event: <name>} lines. */
    private static List<String> eventData(List<String> lines, String name) {
        List<String> data = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).equals("event: " + name) && lines.get(i + 1).startsWith("data: ")) {
                data.add(lines.get(i + 1));
            }
        }
        return data;
    }
}
