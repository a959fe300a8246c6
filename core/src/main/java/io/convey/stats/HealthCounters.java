package io.convey.stats;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Every health check of one server: a latency histogram and the failures by reason (refused, timeout...). */
public final class HealthCounters {
    private final Histogram latency = new Histogram(Histogram.LATENCY_BOUNDS);
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    /** Records one check; {@code failure} is null for a success, else a short reason code such as {@code refused}. */
    public void checked(Duration took, String failure) {
        latency.observe(took);
        if (failure != null) {
            failures.computeIfAbsent(failure, f -> new LongAdder()).increment();
        }
    }

    public Snapshot snapshot() {
        Map<String, Long> byReason = new TreeMap<>();
        failures.forEach((reason, n) -> byReason.put(reason, n.sum()));
        return new Snapshot(latency.snapshot(), Map.copyOf(byReason));
    }

    /** The values read at one moment; failures sorted by reason. */
    public record Snapshot(Histogram.Snapshot latency, Map<String, Long> failures) {
        public Snapshot {
            failures = new TreeMap<>(failures);
        }
    }
}
