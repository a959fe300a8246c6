package io.convey.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Rise/fall state of one server.
 *
 * <p>Thread-safe: the target's checker thread records results while admin and engine threads read status.
 */
final class ServerHealth {
    static final int HISTORY_LIMIT = 200;
    static final Duration HISTORY_WINDOW = Duration.ofHours(1);

    private boolean up;
    private boolean checked;
    private Instant lastCheck;
    private Duration lastLatency;
    private int successes;
    private int failures;
    private String lastError;
    private final ArrayDeque<HealthTransition> history = new ArrayDeque<>();
    /** When the server entered its current state (the last transition), null before the first check. */
    private Instant since;
    /** Time spent DOWN before the current state (the current DOWN period is added when read). */
    private Duration downtimeBefore = Duration.ZERO;
    /** The first check's transition, kept by identity so that it is not counted as a flap. */
    private HealthTransition first;

    /**
     * Applies one check's result under {@code policy}.
     *
     * @return the transition it caused, or null if the state did not change
     */
    synchronized HealthTransition record(ProbeResult result, Instant at, HealthPolicy policy) {
        lastCheck = at;
        lastLatency = result.latency();
        if (result.reachable()) {
            successes++;
            failures = 0;
        } else {
            failures++;
            successes = 0;
            lastError = result.error();
        }
        HealthTransition transition = nextTransition(result, at, policy);
        if (transition != null) {
            if (since != null && !up) {
                downtimeBefore = downtimeBefore.plus(Duration.between(since, at));
            }
            since = at;
            up = transition.up();
            history.addLast(transition);
            prune(at);
        }
        return transition;
    }

    private HealthTransition nextTransition(ProbeResult result, Instant at, HealthPolicy policy) {
        if (!checked) {
            // Like the original, which checks every server when a pool is built, the first result decides.
            checked = true;
            first = new HealthTransition(at, result.reachable(), "first check: " + describe(result));
            return first;
        }
        if (up && failures >= policy.fall()) {
            return new HealthTransition(at, false, result.error() + " (" + failures + "/" + policy.fall() + " fails)");
        }
        if (!up && successes >= policy.rise()) {
            return new HealthTransition(at, true, "connect ok (" + successes + "/" + policy.rise() + " rises)");
        }
        return null;
    }

    /**
     * Starts passive detection: a server not checked yet is UP until traffic says otherwise.
     *
     * @return the first transition, or null when the server was already checked (by probes before a reload)
     */
    synchronized HealthTransition startPassive(Instant at) {
        if (checked) {
            return null;
        }
        checked = true;
        up = true;
        lastCheck = at;
        since = at;
        first = new HealthTransition(at, true, "no probes (health_check = none): traffic decides");
        history.addLast(first);
        return first;
    }

    /** Under passive detection, a DOWN server is offered traffic again after the interval; null when it is UP. */
    synchronized HealthTransition retryPassive(Instant at, Duration interval) {
        if (up) {
            return null;
        }
        if (since != null) {
            downtimeBefore = downtimeBefore.plus(Duration.between(since, at));
        }
        since = at;
        up = true;
        failures = 0;
        HealthTransition transition = new HealthTransition(at, true, "tried again after " + millis(interval)
                + " without probes (health_check = none)");
        history.addLast(transition);
        prune(at);
        return transition;
    }

    synchronized boolean up() {
        return up;
    }

    /**
     * Takes the server down for a reason found outside the checks (passive health); it comes back by the checks'
     * rise, counted from now.
     *
     * @return the transition, or null if the server was already down
     */
    synchronized HealthTransition forceDown(Instant at, String reason) {
        if (checked && !up) {
            return null;
        }
        since = at; // it was up (or never checked): no downtime to add
        checked = true;
        up = false;
        successes = 0;
        lastError = reason;
        HealthTransition transition = new HealthTransition(at, false, reason);
        history.addLast(transition);
        prune(at);
        return transition;
    }

    synchronized HealthStatus status(Instant now) {
        prune(now);
        int flaps = 0;
        for (HealthTransition transition : history) {
            if (transition != first) {
                flaps++;
            }
        }
        Duration downtime = since != null && !up && now.isAfter(since)
                ? downtimeBefore.plus(Duration.between(since, now)) : downtimeBefore;
        return new HealthStatus(up, checked, lastCheck, lastLatency, successes, failures, lastError, flaps,
                history.stream().toList(), since, downtime);
    }

    private void prune(Instant now) {
        Instant horizon = now.minus(HISTORY_WINDOW);
        while (!history.isEmpty() && history.peekFirst().at().isBefore(horizon)) {
            history.removeFirst();
        }
        while (history.size() > HISTORY_LIMIT) {
            history.removeFirst();
        }
    }

    static String describe(ProbeResult result) {
        return result.reachable() ? "connect ok (" + millis(result.latency()) + ")" : result.error();
    }

    /** Loopback connects take well under a millisecond, so short latencies keep one decimal. */
    static String millis(Duration latency) {
        double ms = latency.toNanos() / 1_000_000.0;
        return ms < 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : Math.round(ms) + " ms";
    }
}
