package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Twenty servers, five of them blackholed: checked one after another (as the original does) the others would
 * wait for the blackholes' timeouts; checked concurrently they keep their interval while the blackholes wait.
 */
class ConcurrentChecksTest {
    private static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMillis(300), Duration.ofMillis(3000), 2, 3);

    @Test
    void slowServersDelayOnlyThemselves() throws IOException {
        Recorder recorder = new Recorder();
        try (TestServer server = TestServer.start(); Blackhole blackhole = new Blackhole()) {
            List<HealthTarget> healthy = IntStream.range(0, 15)
                    .mapToObj(i -> new HealthTarget("web", "ok" + i, server.address())).toList();
            List<HealthTarget> silent = IntStream.range(0, 5)
                    .mapToObj(i -> new HealthTarget("web", "silent" + i, blackhole.address())).toList();
            AtomicInteger checksBeforeFirstTimeout = new AtomicInteger(-1);
            HealthListener listener = (target, status, transition) -> {
                if (silent.contains(target)) {
                    checksBeforeFirstTimeout.compareAndExchange(-1, server.accepted());
                }
                recorder.onChange(target, status, transition);
            };
            Map<HealthTarget, HealthPolicy> targets = new HashMap<>();
            silent.forEach(target -> targets.put(target, POLICY));
            healthy.forEach(target -> targets.put(target, POLICY));

            try (HealthChecker checker = new HealthChecker(listener)) {
                checker.update(targets);
                await().until(() -> silent.stream().allMatch(t -> checker.status(t).checked()));
            }

            // In order: every healthy server came up, then was checked twice more, before any blackhole timed out.
            List<HealthTarget> order = recorder.changes().stream().map(Recorder.Change::target).toList();
            assertThat(order.subList(0, healthy.size())).containsExactlyInAnyOrderElementsOf(healthy);
            assertThat(order.subList(healthy.size(), order.size())).containsExactlyInAnyOrderElementsOf(silent);
            assertThat(checksBeforeFirstTimeout.get()).isGreaterThanOrEqualTo(3 * healthy.size());
            assertThat(silent).allSatisfy(target -> {
                HealthTransition first = recorder.changes(target).getFirst().transition();
                assertThat(first.reason()).isEqualTo("first check: timeout after 3000 ms");
            });
        }
    }
}
