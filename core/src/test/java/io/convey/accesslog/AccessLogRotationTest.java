package io.convey.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Ending;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log's file rolls by size through Logback, and every line survives whole and in order. */
class AccessLogRotationTest {

    private static AccessEntry entry(int n) throws Exception {
        return new AccessEntry(1_700_000_000_000L + n, new InetSocketAddress(InetAddress.getByName("192.0.2.7"),
                n % 65536), "web", "pool", "s1", new InetSocketAddress(InetAddress.getByName("10.0.0.4"), 8080),
                n, 2L * n, 1_234_567, 89_000, 0, Ending.CLIENT_CLOSED);
    }

    @Test
    void aSmallMaxSizeRollsTheFileAndNoLineIsLostOrSplit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        int total = 3_000;
        try (AccessLogs logs = new AccessLogs()) {
            AccessLogs.Settings settings = new AccessLogs.Settings(file.toString(), true, 64 << 10, 20);
            logs.configure(Map.of("web", settings));
            AccessSink sink = logs.sink("web", "pool", settings);
            for (int batch = 0; batch < 30; batch++) {
                for (int i = 0; i < 100; i++) {
                    sink.log(entry(batch * 100 + i));
                }
                int expected = (batch + 1) * 100;
                // the size is looked at most every 100 ms: let each batch reach the file, then that time pass
                await().pollDelay(Duration.ofMillis(Output.CHECK_INCREMENT_MS + 10)).atMost(Duration.ofSeconds(10))
                        .until(() -> logs.written() == expected);
            }
            assertThat(logs.dropped()).isZero();
        }
        List<Path> rolled = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            Path p = dir.resolve("access.log." + i);
            if (Files.exists(p)) {
                rolled.add(p);
            }
        }
        assertThat(rolled).as("rolled files").hasSizeGreaterThanOrEqualTo(2);
        assertThat(Files.size(rolled.getLast())).isLessThan(3 * (64 << 10));
        List<String> lines = new ArrayList<>();
        for (Path p : rolled) {
            lines.addAll(Files.readAllLines(p));
        }
        lines.addAll(Files.readAllLines(file));
        assertThat(lines).hasSize(total);
        ObjectMapper json = new ObjectMapper();
        for (int n = 0; n < total; n++) {
            JsonNode line = json.readTree(lines.get(n));
            assertThat(line.get("bytes_from_client").asLong()).as("line %d", n).isEqualTo(n);
            assertThat(line.get("ending").asText()).isEqualTo("client_closed");
            assertThat(line.get("duration_ms").asText()).isEqualTo("1.234");
        }
    }

    @Test
    void theTextFormatIsOneSyslogLikeLineOfPairs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        try (AccessLogs logs = new AccessLogs()) {
            AccessLogs.Settings settings = new AccessLogs.Settings(file.toString(), false, 1 << 20, 3);
            logs.configure(Map.of("web", settings));
            logs.sink("web", "pool", settings).log(entry(7));
            await().until(() -> logs.written() == 1);
            assertThat(logs.latest(e -> true, 10)).hasSize(1);
        }
        assertThat(Files.readAllLines(file)).containsExactly("2023-11-14T22:13:20.007Z convey-access[web]:"
                + " client=192.0.2.7:7 pool=pool server=s1 server_addr=10.0.0.4:8080 bytes_from_client=7"
                + " bytes_from_server=14 duration_ms=1.234 connect_ms=0.089 queue_ms=0.000 ending=client_closed");
    }
}
