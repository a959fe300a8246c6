package io.convey.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the proxy saw while connecting to one server and how long its connections lasted: connect errors,
 * connect timeouts, retries (a failed attempt followed by another server), connect time and connection
 * duration. Bumped on event loops without locks.
 */
public final class UpstreamCounters {
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder connectTimeouts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final Histogram connectTime = new Histogram(Histogram.LATENCY_BOUNDS);
    private final Histogram duration = new Histogram(Histogram.DURATION_BOUNDS);

    /** A connect attempt failed: refused or reset ({@code timedOut} false) or unanswered within the timeout. */
    public void connectFailed(boolean timedOut) {
        (timedOut ? connectTimeouts : connectErrors).increment();
    }

    /** After a failed connect to this server, the connection was offered to another one. */
    public void retried() {
        retries.increment();
    }

    public void connected(long connectNanos) {
        connectTime.observeNanos(connectNanos);
    }

    public void closed(long durationNanos) {
        duration.observeNanos(durationNanos);
    }

    void add(Snapshot other) {
        connectErrors.add(other.connectErrors());
        connectTimeouts.add(other.connectTimeouts());
        retries.add(other.retries());
        connectTime.add(other.connectTime());
        duration.add(other.duration());
    }

    public Snapshot snapshot() {
        return new Snapshot(connectErrors.sum(), connectTimeouts.sum(), retries.sum(), connectTime.snapshot(),
                duration.snapshot());
    }

    /** The values read at one moment. */
    public record Snapshot(long connectErrors, long connectTimeouts, long retries, Histogram.Snapshot connectTime,
            Histogram.Snapshot duration) {}
}
