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

/** The writer thread lowers its own priority, as the kernel sees it: its nice value in /proc, not a JDK field. */
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
