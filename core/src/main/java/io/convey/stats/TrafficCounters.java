package io.convey.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live connection and byte counters of one scope (the appliance, a frontend, a pool or a server).
 * Data-plane threads bump them without locks; readers take a {@link Snapshot}.
 * "tx" is client to server and "rx" server to client, as in the original's /stats.
 */
public final class TrafficCounters {
    private final LongAdder total = new LongAdder();
    private final LongAdder current = new LongAdder();
    private final LongAdder bytesTx = new LongAdder();
    private final LongAdder bytesRx = new LongAdder();
    /** The most connections open at once since the counters were created (HAProxy's "max" sessions). */
    private final AtomicLong peak = new AtomicLong();

    public void opened() {
        total.increment();
        current.increment();
        notePeak();
    }

    /** Once per new connection, not per packet: reading the adder's sum is a few cells' worth of work. */
    private void notePeak() {
        long now = current.sum();
        if (now > peak.get()) {
            peak.accumulateAndGet(now, Math::max);
        }
    }

    public void closed() {
        current.decrement();
    }

    public void addTx(long bytes) {
        bytesTx.add(bytes);
    }

    public void addRx(long bytes) {
        bytesRx.add(bytes);
    }

    /** Adds deltas measured elsewhere (the packet data plane's own counters). */
    public void add(long openedDelta, long closedDelta, long txDelta, long rxDelta) {
        total.add(openedDelta);
        current.add(openedDelta - closedDelta);
        bytesTx.add(txDelta);
        bytesRx.add(rxDelta);
        notePeak(); // the packet data plane reports once a second: its peak is the highest of those readings
    }

    public long current() {
        return current.sum();
    }

    /** The most connections that were open at once. */
    public long peak() {
        return peak.get();
    }

    public Snapshot snapshot() {
        return new Snapshot(total.sum(), current.sum(), bytesTx.sum(), bytesRx.sum());
    }

    /** Counter values read at one moment (each adder is read once, so the four may be microseconds apart). */
    public record Snapshot(long totalConnections, long currentConnections, long bytesTx, long bytesRx) {
        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0);
    }
}
