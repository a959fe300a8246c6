package io.convey.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Ending;
import java.io.BufferedReader;
import java.io.FileReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that does not take lines (a named pipe nobody reads yet) stalls only the writer thread: the callers
 * never wait, the caller's bounded ring fills, and every entry past it is dropped and counted, none lost silently.
 */
class AWriterThatFallsBehindDropsAndCountsTest {

    @Test
    void entriesPastTheQueueAreDroppedAndCountedWhileTheCallerNeverWaits(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("access.log");
        new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        AccessEntry entry = new AccessEntry(0, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), "web", "p",
                "s1", null, 1, 2, 3, 4, 0, Ending.CLIENT_CLOSED);
        // The writer may take one batch (the open command and the first entries) before it blocks opening the pipe.
        int total = AccessLogs.LANE_CAPACITY + AccessLogs.BATCH + 1_000;
        CompletableFuture<Long> read;
        long written;
        try (AccessLogs logs = new AccessLogs()) {
            AccessLogs.Settings settings = new AccessLogs.Settings(fifo.toString(), true, 1 << 20, 1);
            logs.configure(Map.of("web", settings));
            AccessSink sink = logs.sink("web", "p", settings);
            // the writer blocks opening the pipe until a reader comes: these all go to the queue or are dropped
            for (int i = 0; i < total; i++) {
                sink.log(entry);
            }
            assertThat(logs.dropped()).isGreaterThanOrEqualTo(1_000);
            assertThat(logs.written()).isZero();
            read = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader in = new BufferedReader(new FileReader(fifo.toFile()))) {
                    return in.lines().count();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().until(() -> logs.written() + logs.dropped() == total);
            written = logs.written();
            assertThat(written).isEqualTo(total - logs.dropped()).isGreaterThanOrEqualTo(AccessLogs.LANE_CAPACITY - 1);
        }
        // closing the log closes the pipe: the reader sees every line written, whole
        assertThat(read.get()).isEqualTo(written);
    }
}
