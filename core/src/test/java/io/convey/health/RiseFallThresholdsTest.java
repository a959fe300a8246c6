package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Servers change state only after {@code fall} failures or {@code rise} successes in a row.
 *
 * <p>A transition is recorded with the status it happened at, so its counts show that the checks before it
 * changed nothing; no poll has to catch the status between two checks.
 */
class RiseFallThresholdsTest {
    private static final HealthPolicy RISE_2_FALL_3 =
            new HealthPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), 2, 3);

    @Test
    void stoppedServerGoesDownAfterExactlyFallFailures() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); HealthChecker checker = new HealthChecker(recorder)) {
            HealthTarget target = new HealthTarget("web", "a", server.address());
            checker.update(Map.of(target, RISE_2_FALL_3));
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 1);
            assertThat(recorder.changes().getFirst().status().up()).isTrue();

            server.stop();

            await().until(() -> recorder.size() == 2);
            Recorder.Change down = recorder.changes().getLast();
            assertThat(down.transition()).extracting(HealthTransition::up, HealthTransition::reason)
                    .containsExactly(false, "connect refused (3/3 fails)");
            assertThat(down.status().consecutiveFailures()).isEqualTo(3);
            assertThat(down.status().up()).isFalse();
        }
    }

    @Test
    void restartedServerComesUpAfterExactlyRiseSuccesses() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); HealthChecker checker = new HealthChecker(recorder)) {
            server.stop();
            HealthTarget target = new HealthTarget("web", "a", server.address());
            checker.update(Map.of(target, RISE_2_FALL_3));
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 1);
            assertThat(recorder.changes().getFirst().transition().reason()).isEqualTo("first check: connect refused");

            server.restart();

            await().until(() -> recorder.size() == 2);
            Recorder.Change up = recorder.changes().getLast();
            assertThat(up.transition()).extracting(HealthTransition::up, HealthTransition::reason)
                    .containsExactly(true, "connect ok (2/2 rises)");
            assertThat(up.status().consecutiveSuccesses()).isEqualTo(2);
            assertThat(up.status().flapsLastHour()).isEqualTo(1);
        }
    }
}
