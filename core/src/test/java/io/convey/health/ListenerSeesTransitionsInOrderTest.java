package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenerSeesTransitionsInOrderTest {
    private static final HealthPolicy FLAPPY = new HealthPolicy(Duration.ofMillis(50), Duration.ofSeconds(1), 1, 1);

    @Test
    void upDownUpDownArriveInOrderAndMatchTheHistory() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); HealthChecker checker = new HealthChecker(recorder)) {
            HealthTarget target = new HealthTarget("web", "a", server.address());
            checker.update(Map.of(target, FLAPPY));
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 1);
            server.stop();
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 2);
            server.restart();
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 3);
            server.stop();
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 4);

            assertThat(recorder.changes()).extracting(change -> change.transition().reason()).containsExactly(
                    recorder.changes().getFirst().transition().reason(),
                    "connect refused (1/1 fails)", "connect ok (1/1 rises)", "connect refused (1/1 fails)");
            assertThat(recorder.changes()).extracting(change -> change.transition().up())
                    .containsExactly(true, false, true, false);
            assertThat(recorder.changes()).extracting(change -> change.transition().at()).isSorted();
            HealthStatus last = recorder.changes().getLast().status();
            assertThat(last.flapsLastHour()).isEqualTo(3);
            assertThat(last.history()).containsExactlyElementsOf(
                    recorder.changes().stream().map(Recorder.Change::transition).toList());
            assertThat(checker.status(target).history()).startsWith(last.history().toArray(HealthTransition[]::new));
        }
    }
}
