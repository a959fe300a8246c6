package io.convey.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * A pool's connection queue: how many wait now and at most, and how waits ended (served, timed out, refused
 * because the queue was full). Written by the queue's owner; read by the API and metrics.
 */
public final class QueueCounters {
    private final LongAdder queued = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder full = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private volatile int current;
    private volatile int peak;

    public void queued(int length) {
        queued.increment();
        length(length);
    }

    public void served(int length) {
        served.increment();
        length(length);
    }

    public void timedOut(int length) {
        timedOut.increment();
        length(length);
    }

    /** The client closed while waiting. */
    public void abandoned(int length) {
        abandoned.increment();
        length(length);
    }

    public void full() {
        full.increment();
    }

    private void length(int length) {
        current = length;
        if (length > peak) {
            peak = length;
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(current, peak, queued.sum(), served.sum(), timedOut.sum(), full.sum(), abandoned.sum());
    }

    /** The queue now: its length, its peak since start, and its totals. */
    public record Snapshot(int current, int peak, long queued, long served, long timedOut, long full, long abandoned) {
        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0);
    }
}
