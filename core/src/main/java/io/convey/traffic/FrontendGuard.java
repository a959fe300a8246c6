package io.convey.traffic;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * A frontend's admission of new connections (proxy) and new flows (packet modes): its {@link AccessList}, then its
 * {@link RateLimiter}, before any server is chosen; refusals are counted. Immutable apart from the limiter's table
 * and the counters, which the engine keeps across reloads that do not change them.
 */
public final class FrontendGuard {
    /** Admits everything, counts nothing. */
    public static final FrontendGuard OPEN = new FrontendGuard(AccessList.OPEN, null, new LongAdder(), new LongAdder());

    private final AccessList acl;
    private final RateLimiter limiter;
    private final LongAdder refused;
    private final LongAdder rateLimited;

    /**
     * @param limiter     null for no rate limit
     * @param refused     counts connections refused by the lists
     * @param rateLimited counts connections refused by the limiter
     */
    public FrontendGuard(AccessList acl, RateLimiter limiter, LongAdder refused, LongAdder rateLimited) {
        this.acl = acl;
        this.limiter = limiter;
        this.refused = refused;
        this.rateLimited = rateLimited;
    }

    /** True when the guard admits everything without looking: the data planes then skip it. */
    public boolean isOpen() {
        return acl.isOpen() && limiter == null;
    }

    public AccessList acl() {
        return acl;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    /** A new proxied connection from {@code client}. */
    public Admission admit(InetAddress client, long now) {
        byte[] b = client.getAddress();
        if (client instanceof Inet4Address) {
            return admitV4((b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF), true, now);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (b[i] & 0xFF);
            low = low << 8 | (b[i + 8] & 0xFF);
        }
        return admitV6(high, low, true, now);
    }

    /**
     * A first packet from an IPv4 client; {@code newConnection} false (a DSR segment of a connection whose flow was
     * forgotten) checks the lists only.
     */
    public Admission admitV4(int address, boolean newConnection, long now) {
        if (!acl.permitsV4(address)) {
            refused.increment();
            return Admission.REFUSED_BY_ACL;
        }
        if (newConnection && limiter != null && !limiter.admitV4(address, now)) {
            rateLimited.increment();
            return Admission.RATE_LIMITED;
        }
        return Admission.ADMITTED;
    }

    /** As {@link #admitV4} for an IPv6 client's first and last 64 bits. */
    public Admission admitV6(long high, long low, boolean newConnection, long now) {
        if (!acl.permitsV6(high, low)) {
            refused.increment();
            return Admission.REFUSED_BY_ACL;
        }
        if (newConnection && limiter != null && !limiter.admitV6(high, low, now)) {
            rateLimited.increment();
            return Admission.RATE_LIMITED;
        }
        return Admission.ADMITTED;
    }
}
