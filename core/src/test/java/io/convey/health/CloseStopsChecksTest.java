package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloseStopsChecksTest {
    private static final HealthPolicy FAST = new HealthPolicy(Duration.ofMillis(50), Duration.ofSeconds(1), 1, 1);
    private static final HealthPolicy SLOW = new HealthPolicy(Duration.ofMillis(50), Duration.ofSeconds(10), 1, 1);

    @Test
    void closeAbortsAConnectInFlightAndNothingRunsAfterIt() throws IOException {
        Recorder recorder = new Recorder();
        HealthChecker checker = new HealthChecker(recorder);
        try (TestServer server = TestServer.start(); Blackhole blackhole = new Blackhole()) {
            HealthTarget fast = new HealthTarget("web", "fast", server.address());
            HealthTarget stuck = new HealthTarget("web", "stuck", blackhole.address());
            checker.update(Map.of(fast, FAST, stuck, SLOW));
            await().until(() -> server.accepted() >= 3 && blackhole.connectsInFlight() == 1);

            checker.close();

            // Had close() only waited (it gives up after 2 s), the 10 s connect would still be waiting.
            assertThat(blackhole.connectsInFlight()).as("connects to the blackhole once close() returned").isZero();
            int checks = server.accepted();
            int calls = recorder.size();
            server.stop();
            await().during(Duration.ofMillis(300))
                    .until(() -> server.accepted() == checks && recorder.size() == calls);
            assertThat(recorder.changes(stuck)).isEmpty();
            assertThat(checker.snapshot()).isEmpty();
            assertThatThrownBy(() -> checker.update(Map.of(fast, FAST)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("health checker: closed (expected: open)");
        } finally {
            checker.close();
        }
    }
}
