package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What HAProxy's stats page shows of a busy pool, in the API and its CSV export: connect errors and retries of a server
 * that stopped answering, the most connections open at once, since when a server is in its state and its downtime.
 */
class BusyPoolStatsAndCsvTest {

    private static String config(String a, String b, String c) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"

                [backends.p]
                health_check_interval_ms = 60000
                rise = 1
                fall = 1

                [backends.p.servers.a]
                addr = "%s"

                [backends.p.servers.b]
                addr = "%s"

                [backends.p.servers.c]
                addr = "%s"

                [stats]
                port = "0"
                """.formatted(Tcp.freeLoopbackPort(), a, b, c);
    }

    private static String firstLine(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void errorsRetriesPeakTimeInStateAndDowntimeAreReportedAndExported(@TempDir Path dir) throws Exception {
        NamedServer b = new NamedServer("b");
        String down = "127.0.0.1:" + Tcp.freePort();
        try (NamedServer a = new NamedServer("a"); NamedServer stillB = b;
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), b.addr(), down))) {
            Api api = new Api(daemon);
            // b passed its first check; checks are a minute apart, so it stays UP for now while it refuses connections
            await().atMost(Duration.ofSeconds(5)).until(() -> servers(api).get("b").at("/health/checked").asBoolean()
                    && servers(api).get("c").at("/health/checked").asBoolean());
            b.close();

            List<Socket> open = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket(daemon.frontend("f").getAddress(), daemon.frontend("f").getPort());
                    open.add(s);
                    assertThat(firstLine(s)).isEqualTo("a"); // b refused, so each went on to a
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> servers(api).get("a").get("active_connections").asLong() == 4);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> servers(api).get("a").get("active_connections").asLong() == 0);

            Map<String, JsonNode> servers = servers(api);
            assertThat(servers.get("a").at("/stats/peak_connections").asLong()).isEqualTo(4);
            assertThat(servers.get("b").at("/stats/connect_errors").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(servers.get("b").at("/stats/retries").asLong()).isEqualTo(servers.get("b").at("/stats/connect_errors").asLong());
            assertThat(servers.get("a").at("/stats/connect_errors").asLong()).isZero();
            assertThat(servers.get("a").at("/stats/downtime_s").asLong()).isZero();
            // c has been DOWN since its first check: its downtime grows with the time in its state
            await().atMost(Duration.ofSeconds(5)).until(() -> servers(api).get("c").at("/stats/downtime_s").asLong() >= 2);
            JsonNode c = servers(api).get("c");
            assertThat(c.at("/health/up").asBoolean()).isFalse();
            assertThat(c.at("/stats/state_since").asText()).isNotEmpty();
            assertThat(c.at("/stats/in_state_s").asLong()).isGreaterThanOrEqualTo(c.at("/stats/downtime_s").asLong() - 1);

            var csv = api.get("/api/v1/stats/servers.csv");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
            List<String> lines = csv.body().lines().toList();
            assertThat(lines).hasSize(4);
            List<String> header = Arrays.asList(lines.get(0).split(","));
            assertThat(header).containsSubsequence("pool", "server", "addr", "active_connections", "peak_connections",
                    "bytes_tx", "bytes_rx", "connect_errors", "retries", "in_state_s", "downtime_s");
            Map<String, Map<String, String>> rows = lines.subList(1, lines.size()).stream()
                    .map(line -> row(header, line)).collect(Collectors.toMap(r -> r.get("server"), Function.identity()));
            assertThat(rows.get("a")).containsEntry("pool", "p").containsEntry("peak_connections", "4")
                    .containsEntry("health", "up").containsEntry("addr", a.addr());
            assertThat(rows.get("b").get("connect_errors")).isEqualTo(servers.get("b").at("/stats/connect_errors").asText());
            assertThat(rows.get("c")).containsEntry("health", "down");
            assertThat(Long.parseLong(rows.get("c").get("downtime_s"))).isGreaterThanOrEqualTo(2);
            assertThat(rows.get("c").get("last_error")).isNotEmpty();
        }
    }

    /** One CSV line by column; the only quoted field a server has is its last error, the last column. */
    private static Map<String, String> row(List<String> header, String line) {
        String[] fields = line.split(",", header.size());
        if (fields[fields.length - 1].startsWith("\"")) {
            String last = fields[fields.length - 1];
            fields[fields.length - 1] = last.substring(1, last.length() - 1).replace("\"\"", "\"");
        }
        return IntStream.range(0, header.size()).boxed().collect(Collectors.toMap(header::get, i -> fields[i]));
    }

    private static Map<String, JsonNode> servers(Api api) {
        JsonNode pool = Api.json(api.get("/api/v1/backends/p"));
        java.util.LinkedHashMap<String, JsonNode> out = new java.util.LinkedHashMap<>();
        pool.get("servers").forEach(s -> out.put(s.get("name").asText(), s));
        return out;
    }
}
