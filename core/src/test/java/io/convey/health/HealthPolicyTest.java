package io.convey.health;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthPolicyTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void rejectsValuesThatWouldNeverCheckOrNeverChangeState() {
        assertThatThrownBy(() -> new HealthPolicy(Duration.ZERO, SECOND, 1, 1))
                .hasMessage("interval: 0 ms (expected: at least 1 ms)");
        assertThatThrownBy(() -> new HealthPolicy(SECOND, Duration.ofNanos(10), 1, 1))
                .hasMessage("timeout: 0 ms (expected: 1-2147483647 ms)");
        assertThatThrownBy(() -> new HealthPolicy(SECOND, SECOND, 0, 1)).hasMessage("rise: 0 (expected: at least 1)");
        assertThatThrownBy(() -> new HealthPolicy(SECOND, SECOND, 1, -2)).hasMessage("fall: -2 (expected: at least 1)");
    }
}
