package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Since when a server is in its state and how long it was DOWN in all, as HAProxy's "LastChg" and "Dwntme" say. */
class TimeInStateAndDowntimeTest {
    private static final HealthPolicy RISE_1_FALL_1 = new HealthPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 1, 1);
    private static final ProbeResult OK = new ProbeResult(true, Duration.ofMillis(2), null);
    private static final ProbeResult REFUSED = new ProbeResult(false, Duration.ofMillis(1), "connect refused");
    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    private final ServerHealth health = new ServerHealth();

    @Test
    void downPeriodsAddUpAndTheCurrentOneCountsWhileItLasts() {
        assertThat(health.status(T0).since()).isNull();
        assertThat(health.status(T0).downtime()).isZero();

        health.record(OK, T0, RISE_1_FALL_1);
        health.record(REFUSED, T0.plusSeconds(10), RISE_1_FALL_1);
        health.record(OK, T0.plusSeconds(25), RISE_1_FALL_1);
        HealthStatus up = health.status(T0.plusSeconds(30));
        assertThat(up.since()).isEqualTo(T0.plusSeconds(25));
        assertThat(up.downtime()).isEqualTo(Duration.ofSeconds(15));

        health.record(REFUSED, T0.plusSeconds(40), RISE_1_FALL_1);
        health.record(REFUSED, T0.plusSeconds(45), RISE_1_FALL_1); // still DOWN: no new state
        HealthStatus down = health.status(T0.plusSeconds(50));
        assertThat(down.since()).isEqualTo(T0.plusSeconds(40));
        assertThat(down.downtime()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void aServerDownFromItsFirstCheckIsDownSinceThen() {
        health.record(REFUSED, T0, RISE_1_FALL_1);
        HealthStatus status = health.status(T0.plusSeconds(7));
        assertThat(status.since()).isEqualTo(T0);
        assertThat(status.downtime()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void withoutProbesTheStatesTrafficDecidesCountAsChecksDo() {
        HealthPolicy passive = new HealthPolicy(Duration.ofSeconds(5), Duration.ofSeconds(3), 1, 1, true);
        health.startPassive(T0);
        assertThat(health.status(T0.plusSeconds(1)).since()).isEqualTo(T0);

        health.record(REFUSED, T0.plusSeconds(10), passive);
        health.retryPassive(T0.plusSeconds(15), passive.interval());
        HealthStatus retried = health.status(T0.plusSeconds(20));
        assertThat(retried.since()).isEqualTo(T0.plusSeconds(15));
        assertThat(retried.downtime()).isEqualTo(Duration.ofSeconds(5));

        health.forceDown(T0.plusSeconds(30), "3 failed connects or resets of live traffic in 10 s (last: reset)");
        HealthStatus forced = health.status(T0.plusSeconds(32));
        assertThat(forced.since()).isEqualTo(T0.plusSeconds(30));
        assertThat(forced.downtime()).isEqualTo(Duration.ofSeconds(7));
    }
}
