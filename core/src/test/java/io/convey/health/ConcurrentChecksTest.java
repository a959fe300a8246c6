package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Twenty servers, five of them blackholed: checked one after another (as the original does) the blackholes
 * alone would take 7.5 s per round; checked concurrently the others keep their 300 ms interval.
 */
class ConcurrentChecksTest {
    private static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMillis(300), Duration.ofMillis(1500), 2, 3);

    @Test
    void slowServersDelayOnlyThemselves() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); Blackhole blackhole = new Blackhole();
                HealthChecker checker = new HealthChecker(recorder)) {
            List<HealthTarget> healthy = IntStream.range(0, 15)
                    .mapToObj(i -> new HealthTarget("web", "ok" + i, server.address())).toList();
            List<HealthTarget> silent = IntStream.range(0, 5)
                    .mapToObj(i -> new HealthTarget("web", "silent" + i, blackhole.address())).toList();
            Map<HealthTarget, HealthPolicy> targets = new HashMap<>();
            silent.forEach(target -> targets.put(target, POLICY));
            healthy.forEach(target -> targets.put(target, POLICY));

            checker.update(targets);

            await().atMost(Duration.ofSeconds(1))
                    .until(() -> healthy.stream().allMatch(target -> checker.status(target).up()));
            // Three rounds of the healthy servers finish before the first blackhole check can time out.
            await().atMost(Duration.ofMillis(1400)).until(() -> server.accepted() >= 3 * healthy.size());
            assertThat(silent).allSatisfy(target -> assertThat(checker.status(target).checked()).isFalse());

            await().atMost(Duration.ofSeconds(3)).until(() -> silent.stream().allMatch(t -> checker.status(t).checked()));
            assertThat(silent).allSatisfy(target -> {
                HealthTransition first = recorder.changes(target).getFirst().transition();
                assertThat(first.reason()).isEqualTo("first check: timeout after 1500 ms");
            });
        }
    }
}
