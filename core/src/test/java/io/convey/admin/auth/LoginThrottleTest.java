package io.convey.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Five failures lock a user name or an address for 1 s, doubling per further failure, capped at 5 minutes. */
class LoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void locksDoubleFromOneSecondUpToFiveMinutes() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0.1");
            assertThat(throttle.wait("alice", "10.0.0.1")).isEmpty();
        }
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.wait("alice", "10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.wait("alice", "10.0.0.1")).isEmpty();
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.wait("alice", "10.0.0.1")).contains(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        assertThat(throttle.wait("alice", "10.0.0.1")).contains(Duration.ofMinutes(5));
    }

    @Test
    void theUserIsLockedFromEveryAddressAndTheAddressForEveryUser() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        assertThat(throttle.wait("alice", "10.0.0.99")).as("same user, other address").isPresent();
        assertThat(throttle.wait("bob", "10.0.0.1")).as("same address, other user").isPresent();
        assertThat(throttle.wait("bob", "10.0.0.99")).isEmpty();
    }

    @Test
    void aSuccessClearsTheCounts() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        throttle.succeeded("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.wait("alice", "10.0.0.1")).isEmpty();
    }
}
