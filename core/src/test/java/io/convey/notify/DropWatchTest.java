package io.convey.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.NotifyConfig;
import io.convey.config.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DropWatchTest {
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static final NotifyConfig CONFIG = new NotifyConfig(Map.of(), 10, 3, Duration.ofSeconds(5), 100,
            Duration.ofSeconds(10));

    private static Map<String, Object> drops(long noFlow, long malformed) {
        return Map.of("packet", Map.of("dropped", Map.of("no_flow", noFlow, "malformed", malformed)));
    }

    @Test
    void dropsReachingTheThresholdWithinTheWindowRaiseOnceAndAgainOnlyAfterAQuietWindow() {
        DropWatch watch = new DropWatch();
        assertThat(watch.sample(T0, drops(1000, 0), CONFIG)).as("counts before the first sample do not count").isEmpty();
        assertThat(watch.sample(T0.plusSeconds(1), drops(1050, 0), CONFIG)).isEmpty();
        List<Notifier.Pending> raised = watch.sample(T0.plusSeconds(2), drops(1080, 20), CONFIG);
        assertThat(raised).singleElement().satisfies(p -> {
            assertThat(p.event()).isEqualTo(NotifyEvent.PACKETS_DROPPED);
            assertThat(p.fields()).containsEntry("dropped", 100L).containsEntry("window_s", 10L)
                    .containsEntry("threshold", 100L).containsEntry("by_reason", Map.of("no_flow", 80L, "malformed", 20L));
        });
        assertThat(watch.sample(T0.plusSeconds(3), drops(1200, 20), CONFIG)).as("still above: raised once").isEmpty();
        // 10 s later the window holds only the last 10 s: 0 new drops, re-armed.
        assertThat(watch.sample(T0.plusSeconds(14), drops(1200, 20), CONFIG)).isEmpty();
        assertThat(watch.sample(T0.plusSeconds(15), drops(1300, 20), CONFIG)).hasSize(1);
    }

    @Test
    void proxyModeHasNoDropsAndRaisesNothing() {
        assertThat(new DropWatch().sample(T0, Map.of("transport", "epoll"), CONFIG)).isEmpty();
    }
}
