package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveFailuresTest {

    @Test
    void fallFailuresWithinTheWindowTripOnceThenTheCountStartsAfresh() {
        LiveFailures failures = new LiveFailures();
        assertThat(failures.failed(0, 10, 3)).isFalse();
        assertThat(failures.failed(5, 10, 3)).isFalse();
        assertThat(failures.failed(20, 10, 3)).isFalse(); // the first two left the window
        assertThat(failures.failed(22, 10, 3)).isFalse();
        assertThat(failures.failed(25, 10, 3)).isTrue();
        assertThat(failures.failed(26, 10, 3)).isFalse();
    }

    @Test
    void aForcedDownComesBackByTheChecksRise() {
        ServerHealth health = new ServerHealth();
        HealthPolicy policy = new HealthPolicy(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 2, 3);
        java.time.Instant t = java.time.Instant.EPOCH;
        health.record(new ProbeResult(true, java.time.Duration.ofMillis(1), null), t, policy);
        assertThat(health.forceDown(t.plusSeconds(1), "3 failed connects")).isNotNull();
        assertThat(health.forceDown(t.plusSeconds(2), "again")).isNull();
        assertThat(health.record(new ProbeResult(true, java.time.Duration.ofMillis(1), null), t.plusSeconds(3), policy)).isNull();
        HealthTransition up = health.record(new ProbeResult(true, java.time.Duration.ofMillis(1), null), t.plusSeconds(4), policy);
        assertThat(up.up()).isTrue();
        assertThat(health.status(t.plusSeconds(5)).history()).extracting(HealthTransition::reason)
                .containsExactly("first check: connect ok (1.0 ms)", "3 failed connects", "connect ok (2/2 rises)");
    }
}
