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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries from many producer threads (event loops, packet workers), each through its own ring: every one is written,
 * each producer's in the order it logged them; the entries queued before a frontend's log is closed reach the file
 * before it closes; and the rings of producers that have ended are let go.
 */
class EveryProducerReachesTheFileTest {
    private static final int PRODUCERS = 8;
    private static final int EACH = 5_000;

    @Test
    void everyEntryOfEveryProducerIsWrittenInItsOrderBeforeTheLogCloses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        InetAddress client = InetAddress.getByName("192.0.2.7");
        try (AccessLogs logs = new AccessLogs()) {
            AccessLogs.Settings settings = new AccessLogs.Settings(file.toString(), true, 64 << 20, 1);
            logs.configure(Map.of("web", settings));
            AccessSink sink = logs.sink("web", "pool", settings);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                InetSocketAddress from = new InetSocketAddress(client, 40_000 + p);
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < EACH; n++) {
                        sink.log(new AccessEntry(0, from, null, null, "s1", null, n, 0, 0, 0, 0,
                                Ending.CLIENT_CLOSED));
                    }
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
            // closed at once: what the producers queued before must still reach the file
            logs.configure(Map.of());
            await().until(() -> logs.written() + logs.dropped() == PRODUCERS * EACH);
            assertThat(logs.dropped()).isZero();
            await().until(() -> logs.lanes() == 0);
        }
        ObjectMapper json = new ObjectMapper();
        Map<Integer, Integer> nextByPort = new HashMap<>();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(PRODUCERS * EACH);
        for (String text : lines) {
            JsonNode line = json.readTree(text);
            String from = line.get("client").asText();
            int port = Integer.parseInt(from.substring(from.lastIndexOf(':') + 1));
            int expected = nextByPort.getOrDefault(port, 0);
            assertThat(line.get("bytes_from_client").asInt()).as("producer %d", port).isEqualTo(expected);
            nextByPort.put(port, expected + 1);
        }
        assertThat(nextByPort).hasSize(PRODUCERS).allSatisfy((port, count) -> assertThat(count).isEqualTo(EACH));
    }

    @Test
    void aLogClosedAndOpenedAgainBeforeTheWriterGetsToItLosesNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40_000);
        try (AccessLogs logs = new AccessLogs()) {
            AccessLogs.Settings settings = new AccessLogs.Settings(file.toString(), true, 64 << 20, 1);
            AccessSink sink = logs.sink("web", "pool", settings);
            for (int round = 0; round < 20; round++) {
                logs.configure(Map.of("web", settings));
                for (int n = 0; n < 100; n++) {
                    sink.log(new AccessEntry(0, from, null, null, "s1", null, round * 100 + n, 0, 0, 0, 0,
                            Ending.CLIENT_CLOSED));
                }
                logs.configure(Map.of()); // closed, and opened again by the next round at once
            }
            await().until(() -> logs.written() + logs.dropped() == 2_000);
            assertThat(logs.dropped()).isZero();
        }
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2_000);
        for (int n = 0; n < lines.size(); n++) {
            assertThat(json.readTree(lines.get(n)).get("bytes_from_client").asInt()).isEqualTo(n);
        }
    }
}
