package io.convey.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The writer thread lowers its own priority, as the kernel sees it: its nice value in /proc, not a JDK field; and it
 * does not wake up (and preempt an event loop or packet worker on its CPU) more than it needs: never while no frontend
 * logs, at most 20 times a second while a log is quiet.
 */
class TheWriterYieldsToTheDataPlaneTest {

    @Test
    void theWriterThreadRunsTenNiceLevelsBelowTheProcess() throws Exception {
        try (AccessLogs logs = new AccessLogs()) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(nices("convey-access-l"))
                    .isNotEmpty().containsOnly(nice(Path.of("/proc/self/stat")) + AccessLogs.WRITER_NICE));
            assertThat(nice(Path.of("/proc/self/stat"))).isZero(); // the process (its first thread) keeps its own, 0
            // as a test run starts it
        }
    }

    @Test
    void aWriterWithNothingToWriteSleeps(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.util.Set<String> before = tids(WRITER);
        try (AccessLogs logs = new AccessLogs()) {
            String tid = await().until(() -> {
                java.util.Set<String> now = tids(WRITER);
                now.removeAll(before);
                return now.size() == 1 ? now.iterator().next() : null;
            }, java.util.Objects::nonNull);
            Path status = Path.of("/proc/self/task", tid, "status");
            await().pollDelay(Duration.ofMillis(200)).until(() -> true); // started and parked
            long start = wakeUps(status);
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            assertThat(wakeUps(status) - start).as("wake-ups in 1 s with no log").isLessThanOrEqualTo(2);
            AccessLogs.Settings settings = new AccessLogs.Settings(dir.resolve("access.log").toString(), true, 1 << 20,
                    1);
            logs.configure(java.util.Map.of("web", settings));
            await().pollDelay(Duration.ofMillis(500)).until(() -> true); // backed off to the longest park
            start = wakeUps(status);
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            assertThat(wakeUps(status) - start).as("wake-ups in 1 s with a quiet log")
                    .isLessThanOrEqualTo(1000 / AccessLogs.IDLE_WAIT_MAX_MS + 3);
        }
    }

    private static final String WRITER = "convey-access-l";

    private static java.util.Set<String> tids(String comm) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> comm.equals(read(t.resolve("comm")))).map(t -> t.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
        }
    }

    /** The thread's voluntary context switches: each park it returns from. */
    private static long wakeUps(Path status) {
        return read(status).lines().filter(l -> l.startsWith("voluntary_ctxt_switches:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).sum();
    }

    /** The nice value of each of this process's threads named {@code comm} (the kernel's 15-character name). */
    private static List<Integer> nices(String comm) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> comm.equals(read(t.resolve("comm")))).map(t -> nice(t.resolve("stat"))).toList();
        }
    }

    /** Field 19 of a stat file; after "pid (comm) " the state is field 3. */
    private static int nice(Path stat) {
        String text = read(stat);
        return Integer.parseInt(text.substring(text.lastIndexOf(')') + 2).split(" ")[19 - 3]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) { // the thread ended meanwhile
            return "";
        }
    }
}
