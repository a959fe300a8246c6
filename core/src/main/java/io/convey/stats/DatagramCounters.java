package io.convey.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * UDP counters of one scope (the appliance, a frontend, a pool or a server): datagrams and bytes both ways and
 * sessions. Data-plane threads bump them without locks; readers take a {@link Snapshot}. "tx" is client to server
 * and "rx" server to client, as in {@link TrafficCounters}.
 */
public final class DatagramCounters {
    private final LongAdder datagramsTx = new LongAdder();
    private final LongAdder datagramsRx = new LongAdder();
    private final LongAdder bytesTx = new LongAdder();
    private final LongAdder bytesRx = new LongAdder();
    private final LongAdder sessionsTotal = new LongAdder();
    private final LongAdder sessionsCurrent = new LongAdder();
    private final LongAdder sessionsDropped = new LongAdder();
    private final LongAdder unreachable = new LongAdder();
    private final LongAdder unanswered = new LongAdder();

    public void fromClient(int bytes) {
        datagramsTx.increment();
        bytesTx.add(bytes);
    }

    public void fromServer(int bytes) {
        datagramsRx.increment();
        bytesRx.add(bytes);
    }

    public void opened() {
        sessionsTotal.increment();
        sessionsCurrent.increment();
    }

    public void closed() {
        sessionsCurrent.decrement();
    }

    /** A datagram that would have opened a session was dropped (the session cap, or no eligible server). */
    public void dropped() {
        sessionsDropped.increment();
    }

    /** A session ended on ICMP port unreachable from its server. */
    public void unreachable() {
        unreachable.increment();
    }

    /** A session ended because its server left a request unanswered. */
    public void unanswered() {
        unanswered.increment();
    }

    public long current() {
        return sessionsCurrent.sum();
    }

    public Snapshot snapshot() {
        return new Snapshot(datagramsTx.sum(), datagramsRx.sum(), bytesTx.sum(), bytesRx.sum(), sessionsCurrent.sum(),
                sessionsTotal.sum(), sessionsDropped.sum(), unreachable.sum(), unanswered.sum());
    }

    /** Counter values read at one moment. */
    public record Snapshot(long datagramsTx, long datagramsRx, long bytesTx, long bytesRx, long sessionsCurrent,
            long sessionsTotal, long sessionsDropped, long unreachable, long unanswered) {
        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
