package io.convey.engine;

import io.convey.health.HealthTarget;
import io.convey.health.ProbeResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what the proxy sees of servers in pools with {@code health_check = "none"} into health reports: ICMP port
 * unreachable, requests left unanswered and refused or timed-out connects count toward {@code fall}; an answer or
 * a connect after such a failure counts toward {@code rise}. Successes are reported only after a failure, so that
 * busy servers cost a map lookup per session rather than a report.
 *
 * <p>Called on event loops: never blocks (the health checker's report queue drops when full).
 */
final class PassiveHealth {
    private final Engine engine;
    /** Servers with a failure reported and no success since. */
    private final Map<HealthTarget, Boolean> suspects = new ConcurrentHashMap<>();

    PassiveHealth(Engine engine) {
        this.engine = engine;
    }

    void failed(HealthTarget target, String error, String failure) {
        suspects.put(target, Boolean.TRUE);
        engine.reportPassive(target, new ProbeResult(false, Duration.ZERO, error, failure));
    }

    void succeeded(HealthTarget target) {
        if (suspects.remove(target) != null) {
            engine.reportPassive(target, new ProbeResult(true, Duration.ZERO, null, null));
        }
    }

    static String unanswered(Duration timeout) {
        return "no answer within " + timeout.toMillis() + " ms";
    }
}
