package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsEndpointTest {

    @Test
    void statsHasTheOriginalShapeCountsBytesAsTheyFlowAndReturnsToZero(@TempDir java.nio.file.Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, ReloadKeepsEstablishedConnectionsTest.config(
                        a.addr(), 1, b.addr(), 1))) {
            JsonNode empty = daemon.getJson("/stats");
            assertThat(empty.fieldNames()).toIterable().startsWith("total_connections", "current_connections",
                    "total_bytes_tx", "total_bytes_rx", "backends", "frontends");
            assertThat(empty.at("/backends/p").fieldNames()).toIterable()
                    .containsExactly("total_connections", "current_connections", "bytes_tx", "bytes_rx", "servers", "queue_current",
                            "queue_peak");
            assertThat(empty.at("/frontends/f").fieldNames()).toIterable()
                    .containsExactly("total_connections", "current_connections", "bytes_tx", "bytes_rx", "refused_by_acl",
                            "rate_limited");
            await().untilAsserted(() -> assertThat(daemon.getJson("/stats").at("/backends/p/servers/" + a.addr().replace("/", "~1")).asBoolean()).isTrue());

            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    Socket s = new Socket();
                    s.connect(daemon.frontend("f"));
                    open.add(s);
                }
                Socket first = open.getFirst();
                OutputStream out = first.getOutputStream();
                InputStream in = first.getInputStream();
                out.write(new byte[1000]);
                out.flush();
                in.readNBytes(2 + 1000); // greeting "a\n" or "b\n" then the echo
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    JsonNode s = daemon.getJson("/stats");
                    assertThat(s.get("current_connections").asLong()).isEqualTo(50);
                    assertThat(s.at("/frontends/f/current_connections").asLong()).isEqualTo(50);
                    assertThat(s.at("/backends/p/current_connections").asLong()).isEqualTo(50);
                    assertThat(s.get("total_bytes_tx").asLong()).as("counted while the connection is open").isEqualTo(1000);
                    assertThat(s.get("total_bytes_rx").asLong()).isGreaterThanOrEqualTo(1000 + 100);
                });
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode s = daemon.getJson("/stats");
                assertThat(s.get("current_connections").asLong()).isZero();
                assertThat(s.get("total_connections").asLong()).isEqualTo(50);
                assertThat(s.at("/frontends/f/current_connections").asLong()).isZero();
                assertThat(s.at("/backends/p/current_connections").asLong()).isZero();
            });
            String metrics = daemon.get("/metrics").body();
            assertThat(metrics).contains("convey_connections_total 50")
                    .contains("convey_frontend_connections_total{frontend=\"f\"} 50")
                    .contains("convey_server_up{addr=\"" + a.addr() + "\",pool=\"p\",server=\"a\"} 1");
        }
    }
}
