package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigHistoryTest {

    @Test
    void keepsTheLastVersionsExactlyAndContinuesIdsAfterAReopen(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("convey.toml");
        ConfigHistory history = ConfigHistory.open(config, 3);
        for (int v = 1; v <= 5; v++) {
            history.record(v, Instant.parse("2025-01-01T00:00:0" + v + "Z"), "api", "change\t" + v + "\nsecond line",
                    "alice", "# version " + v + "\r\nkey = \"\u00e9\"\n");
        }
        assertThat(history.entries()).extracting(ConfigHistory.Entry::id).containsExactly(5L, 4L, 3L);
        assertThat(history.entries().getFirst().summary()).isEqualTo("change 5 second line");
        assertThat(history.text(1)).isEmpty();
        assertThat(Files.exists(dir.resolve(".convey-history/1.toml"))).isFalse();
        assertThat(history.text(4)).hasValue("# version 4\r\nkey = \"\u00e9\"\n");

        ConfigHistory reopened = ConfigHistory.open(config, 3);
        assertThat(reopened.entries()).isEqualTo(history.entries());
        assertThat(reopened.record(1, Instant.now(), "startup", "initial configuration", "startup", "x = 1\n").id()).isEqualTo(6);
        assertThat(reopened.entries()).extracting(ConfigHistory.Entry::source).containsExactly("startup", "api", "api");
        assertThat(reopened.entries()).extracting(ConfigHistory.Entry::by).containsExactly("startup", "alice", "alice");
    }

    @Test
    void anIndexWrittenBeforeTheByColumnStillLoads(@TempDir Path dir) throws Exception {
        Path history = Files.createDirectories(dir.resolve(".convey-history"));
        Files.writeString(history.resolve("1.toml"), "x = 1\n");
        Files.writeString(history.resolve("2.toml"), "x = 2\n");
        Files.writeString(history.resolve("index.tsv"), "1\t1\t2025-01-01T00:00:00Z\tstartup\tinitial configuration\n"
                + "2\t2\t2025-01-01T00:01:00Z\tapi\tweight of a set to 2\n");
        ConfigHistory reopened = ConfigHistory.open(dir.resolve("convey.toml"), 10);
        assertThat(reopened.entries()).extracting(ConfigHistory.Entry::by).containsExactly("api", "startup");
        reopened.record(1, Instant.parse("2025-01-02T00:00:00Z"), "api", "weight of a set to 3", "ops (token of alice)", "x = 3\n");
        assertThat(Files.readAllLines(history.resolve("index.tsv"))).last()
                .isEqualTo("3\t1\t2025-01-02T00:00:00Z\tapi\tweight of a set to 3\tops (token of alice)");
    }
}
