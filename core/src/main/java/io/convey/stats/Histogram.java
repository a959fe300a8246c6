package io.convey.stats;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket histogram of durations, bumped without locks by data-plane and checker threads.
 * Bucket bounds are in seconds, as Prometheus expects; the last bucket is open-ended (+Inf).
 */
public final class Histogram {
    /** Connect times and health-check latencies: 0.5 ms to 10 s. */
    public static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10};
    /** Connection durations: 10 ms to 1 hour. */
    public static final double[] DURATION_BOUNDS = {0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600};

    private final double[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    public Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length + 1];
        Arrays.setAll(buckets, i -> new LongAdder());
    }

    public void observeNanos(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int i = Arrays.binarySearch(bounds, seconds);
        // binarySearch gives the insertion point for values between bounds; a bound itself belongs to its bucket (le).
        buckets[i >= 0 ? i : -i - 1].increment();
        sumNanos.add(Math.max(0, nanos));
    }

    public void observe(Duration duration) {
        observeNanos(duration.toNanos());
    }

    /** Adds another histogram's counts (same bounds), for folding the counters of removed servers. */
    void add(Snapshot other) {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i].add(other.counts()[i]);
        }
        sumNanos.add(Math.round(other.sumSeconds() * 1e9));
    }

    public Snapshot snapshot() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return new Snapshot(bounds.clone(), counts, sumNanos.sum() / 1e9);
    }

    /**
     * Counts per bucket (not cumulative), the last one above every bound, and the sum of observations.
     *
     * @param bounds upper bounds in seconds, ascending
     * @param counts one more than bounds: observations at or below each bound and above the previous one
     */
    public record Snapshot(double[] bounds, long[] counts, double sumSeconds) {
        public long count() {
            return Arrays.stream(counts).sum();
        }
    }
}
