package io.convey.stats;

import java.util.concurrent.atomic.LongAdder;

/** New connections (proxy) and flows (packet modes) a frontend turned away before choosing a server. */
public final class AdmissionCounters {
    private final LongAdder refusedByAcl = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    /** The counter the data planes bump for a connection refused by the allow/deny lists. */
    public LongAdder refusedByAclAdder() {
        return refusedByAcl;
    }

    /** The counter the data planes bump for a connection over its source's rate limit. */
    public LongAdder rateLimitedAdder() {
        return rateLimited;
    }

    public Snapshot snapshot() {
        return new Snapshot(refusedByAcl.sum(), rateLimited.sum());
    }

    /** The two counts read at one moment. */
    public record Snapshot(long refusedByAcl, long rateLimited) {
        public static final Snapshot ZERO = new Snapshot(0, 0);
    }
}
