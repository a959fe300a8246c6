package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateKeepsStateOfUnchangedTargetsTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final HealthPolicy FALL_3 = new HealthPolicy(INTERVAL, Duration.ofSeconds(1), 2, 3);
    private static final HealthPolicy FALL_1 = new HealthPolicy(INTERVAL, Duration.ofSeconds(1), 2, 1);

    @Test
    void keptTargetKeepsItsHistoryAddedIsCheckedAndRemovedIsNoLongerChecked() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer a = TestServer.start(); TestServer b = TestServer.start(); TestServer c = TestServer.start();
                HealthChecker checker = new HealthChecker(recorder)) {
            HealthTarget kept = new HealthTarget("web", "a", a.address());
            HealthTarget removed = new HealthTarget("web", "b", b.address());
            HealthTarget added = new HealthTarget("web", "c", c.address());
            checker.update(Map.of(kept, FALL_3, removed, FALL_3));
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 2);
            HealthTransition keptFirst = recorder.changes(kept).getFirst().transition();
            await().atMost(Duration.ofSeconds(2)).until(() -> checker.status(kept).consecutiveSuccesses() >= 3);

            checker.update(Map.of(kept, FALL_3, added, FALL_3));
            int checksOfRemoved = b.accepted();

            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.changes(added).size() == 1);
            assertThat(checker.status(removed)).isNull();
            assertThat(checker.snapshot()).containsOnlyKeys(kept, added);
            HealthStatus keptStatus = checker.status(kept);
            assertThat(keptStatus.history()).containsExactly(keptFirst);
            assertThat(keptStatus.consecutiveSuccesses()).as("not restarted").isGreaterThanOrEqualTo(3);
            assertThat(recorder.changes(kept)).hasSize(1);

            // Five more intervals: a removed target still being checked would be connected to about five times;
            // at most one check may have been in flight when update() returned.
            await().atMost(Duration.ofSeconds(3)).until(() -> c.accepted() >= 6);
            assertThat(b.accepted()).isBetween(checksOfRemoved, checksOfRemoved + 1);
            assertThat(recorder.changes(removed)).hasSize(1);
        }
    }

    @Test
    void policyChangeOfAKeptTargetAppliesFromTheNextCheck() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); HealthChecker checker = new HealthChecker(recorder)) {
            HealthTarget target = new HealthTarget("web", "a", server.address());
            checker.update(Map.of(target, FALL_3));
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 1);

            checker.update(Map.of(target, FALL_1));
            server.stop();

            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 2);
            assertThat(recorder.changes().getLast().transition().reason()).isEqualTo("connect refused (1/1 fails)");
            assertThat(recorder.changes().getLast().status().history()).hasSize(2);
        }
    }

    @Test
    void sameServerAtANewAddressStartsAfresh() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer before = TestServer.start(); TestServer after = TestServer.start();
                HealthChecker checker = new HealthChecker(recorder)) {
            HealthTarget old = new HealthTarget("web", "a", before.address());
            HealthTarget moved = new HealthTarget("web", "a", after.address());
            checker.update(Map.of(old, FALL_3));
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 1);

            checker.update(Map.of(moved, FALL_3));

            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 2);
            assertThat(recorder.changes().getLast().target()).isEqualTo(moved);
            assertThat(recorder.changes().getLast().transition().reason()).startsWith("first check: connect ok");
            assertThat(checker.snapshot()).containsOnlyKeys(moved);
        }
    }
}
