package io.convey.admin.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #FREE_FAILURES} failed logins for one user name, or from one client
 * address, further attempts on that key are refused for 1 s, then 2 s, 4 s... up to 5 minutes, whether the
 * password would be right or not. A success clears the user's and the address's count.
 */
public final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration FIRST_LOCK = Duration.ofSeconds(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(5);
    /** Keys are forgotten this long after their last failure, so the map stays small. */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    private record Failures(int count, Instant lastFailure, Instant lockedUntil) {}

    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long this user, from this address, must still wait; empty when a login may be tried. */
    public Optional<Duration> wait(String user, String address) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (String key : new String[] {"user:" + user, "addr:" + address}) {
            Failures f = failures.get(key);
            if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
                Duration left = Duration.between(now, f.lockedUntil());
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    public void failed(String user, String address) {
        Instant now = clock.instant();
        failures.values().removeIf(f -> f.lastFailure().plus(FORGET_AFTER).isBefore(now));
        for (String key : new String[] {"user:" + user, "addr:" + address}) {
            failures.compute(key, (k, f) -> {
                int count = f == null ? 1 : f.count() + 1;
                Instant until = null;
                if (count >= FREE_FAILURES) {
                    int doublings = Math.min(count - FREE_FAILURES, 20);
                    Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
                    until = now.plus(lock.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : lock);
                }
                return new Failures(count, now, until);
            });
        }
    }

    public void succeeded(String user, String address) {
        failures.remove("user:" + user);
        failures.remove("addr:" + address);
    }
}
