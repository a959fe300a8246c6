package io.convey.stats;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Deliveries of one notification hook: delivered, failed after every attempt, retried attempts, dropped (queue full). */
public final class NotifyCounters {
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final AtomicReference<LastError> lastError = new AtomicReference<>();

    /** The reason of the most recent failed attempt. */
    public record LastError(Instant at, String error) {}

    /** A notification entered the hook's queue ({@code +1}) or left it for delivery ({@code -1}). */
    public void queued(int delta) {
        queued.add(delta);
    }

    public void delivered() {
        delivered.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void failed() {
        failed.increment();
    }

    public void attemptFailed(Instant at, String error) {
        lastError.set(new LastError(at, error));
    }

    public Snapshot snapshot() {
        return new Snapshot(delivered.sum(), failed.sum(), retries.sum(), dropped.sum(), queued.sum(), lastError.get());
    }

    /** The values read at one moment; {@code lastError} null when no attempt has failed. */
    public record Snapshot(long delivered, long failed, long retries, long dropped, long queued, LastError lastError) {}
}
