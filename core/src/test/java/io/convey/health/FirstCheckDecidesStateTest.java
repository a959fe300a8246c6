package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstCheckDecidesStateTest {
    private static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3, 3);

    @Test
    void reachableServerIsUpAndClosedPortIsDownAfterOneCheck() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); TestServer stopped = TestServer.start();
                HealthChecker checker = new HealthChecker(recorder)) {
            stopped.stop();
            HealthTarget alive = new HealthTarget("web", "alive", server.address());
            HealthTarget dead = new HealthTarget("web", "dead", stopped.address());
            assertThat(checker.status(alive)).isNull();

            checker.update(Map.of(alive, POLICY, dead, POLICY));

            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 2);
            Recorder.Change up = recorder.changes(alive).getFirst();
            assertThat(up.transition().up()).isTrue();
            assertThat(up.transition().reason()).matches("first check: connect ok \\(\\d+(\\.\\d)? ms\\)");
            assertThat(up.status()).extracting(HealthStatus::up, HealthStatus::checked,
                    HealthStatus::consecutiveSuccesses, HealthStatus::flapsLastHour).containsExactly(true, true, 1, 0);
            assertThat(up.status().history()).containsExactly(up.transition());

            Recorder.Change down = recorder.changes(dead).getFirst();
            assertThat(down.transition()).extracting(HealthTransition::up, HealthTransition::reason)
                    .containsExactly(false, "first check: connect refused");
            assertThat(down.status().lastError()).isEqualTo("connect refused");
            assertThat(checker.snapshot()).containsOnlyKeys(alive, dead);
        }
    }
}
