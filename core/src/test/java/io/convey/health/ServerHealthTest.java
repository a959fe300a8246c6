package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServerHealthTest {
    private static final HealthPolicy RISE_2_FALL_3 =
            new HealthPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 2, 3);
    private static final ProbeResult OK = new ProbeResult(true, Duration.ofMillis(2), null);
    private static final ProbeResult REFUSED = new ProbeResult(false, Duration.ofMillis(1), "connect refused");

    private final ServerHealth health = new ServerHealth();
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    private HealthTransition check(ProbeResult result) {
        return check(result, RISE_2_FALL_3);
    }

    private HealthTransition check(ProbeResult result, HealthPolicy policy) {
        now = now.plusSeconds(1);
        return health.record(result, now, policy);
    }

    @Test
    void isUncheckedAndDownBeforeTheFirstCheck() {
        HealthStatus status = health.status(now);

        assertThat(status.checked()).isFalse();
        assertThat(status.up()).isFalse();
        assertThat(status.lastCheck()).isNull();
        assertThat(status.history()).isEmpty();
    }

    @Test
    void firstSuccessMakesTheServerUpAtOnce() {
        HealthTransition first = check(OK);

        assertThat(first.up()).isTrue();
        assertThat(first.reason()).isEqualTo("first check: connect ok (2.0 ms)");
        assertThat(health.status(now)).extracting(HealthStatus::up, HealthStatus::checked, HealthStatus::flapsLastHour)
                .containsExactly(true, true, 0);
    }

    @Test
    void firstFailureMakesTheServerDownAtOnce() {
        HealthTransition first = check(REFUSED);

        assertThat(first).isEqualTo(new HealthTransition(now, false, "first check: connect refused"));
        assertThat(health.status(now).lastError()).isEqualTo("connect refused");
    }

    @Test
    void goesDownAfterExactlyFallFailures() {
        check(OK);

        assertThat(check(REFUSED)).isNull();
        assertThat(check(REFUSED)).isNull();
        assertThat(health.status(now).up()).isTrue();
        HealthTransition down = check(REFUSED);

        assertThat(down).isEqualTo(new HealthTransition(now, false, "connect refused (3/3 fails)"));
        assertThat(health.status(now).consecutiveFailures()).isEqualTo(3);
        assertThat(check(REFUSED)).as("already down").isNull();
    }

    @Test
    void comesUpAfterExactlyRiseSuccesses() {
        check(REFUSED);

        assertThat(check(OK)).isNull();
        assertThat(health.status(now).up()).isFalse();
        HealthTransition up = check(OK);

        assertThat(up).isEqualTo(new HealthTransition(now, true, "connect ok (2/2 rises)"));
        assertThat(health.status(now).consecutiveSuccesses()).isEqualTo(2);
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        check(OK);
        check(REFUSED);
        check(REFUSED);
        check(OK);
        check(REFUSED);
        check(REFUSED);

        HealthStatus status = health.status(now);
        assertThat(status.up()).isTrue();
        assertThat(status.consecutiveFailures()).isEqualTo(2);
        assertThat(status.consecutiveSuccesses()).isZero();
    }

    @Test
    void loweredFallAppliesFromTheNextCheck() {
        check(OK);
        check(REFUSED);

        HealthTransition down = check(REFUSED, new HealthPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 2, 2));

        assertThat(down.reason()).isEqualTo("connect refused (2/2 fails)");
    }

    @Test
    void flapsCountTransitionsOfTheLastHourButNotTheFirstCheck() {
        HealthPolicy flappy = new HealthPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 1, 1);
        check(OK, flappy);
        check(REFUSED, flappy);
        check(OK, flappy);
        assertThat(health.status(now).flapsLastHour()).isEqualTo(2);
        assertThat(health.status(now).history()).extracting(HealthTransition::up).containsExactly(true, false, true);

        now = now.plus(Duration.ofMinutes(59)).plusSeconds(59);
        assertThat(health.status(now).flapsLastHour()).as("still within the hour").isEqualTo(2);
        check(REFUSED, flappy);

        HealthStatus later = health.status(now.plusSeconds(2));
        assertThat(later.flapsLastHour()).isEqualTo(1);
        assertThat(later.history()).extracting(HealthTransition::reason).containsExactly("connect refused (1/1 fails)");
    }

    @Test
    void historyKeepsTheLatest200Transitions() {
        HealthPolicy flappy = new HealthPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 1, 1);
        for (int i = 0; i < 300; i++) {
            check(i % 2 == 0 ? OK : REFUSED, flappy);
        }

        HealthStatus status = health.status(now);
        assertThat(status.history()).hasSize(ServerHealth.HISTORY_LIMIT);
        assertThat(status.history().getLast().at()).isEqualTo(now);
        assertThat(status.history().getFirst().at()).isEqualTo(now.minusSeconds(199));
        assertThat(status.flapsLastHour()).isEqualTo(200);
    }
}
