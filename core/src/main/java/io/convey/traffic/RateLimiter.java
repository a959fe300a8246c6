package io.convey.traffic;

import io.convey.net.Cidr;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New connections per second per source, with a burst, in memory bounded whatever the number of sources.
 *
 * <p>Each source (the client address cut to a prefix) has a GCRA cell (the generic cell rate algorithm of ATM,
 * ITU-T I.371, as a token bucket in one number): its theoretical arrival time {@code tat}. A connection at {@code now}
 * is admitted when {@code tat - now <= (burst - 1) * interval}, and then moves {@code tat} on by one interval
 * ({@code 1 s / rate}). A cell whose {@code tat} is in the past holds a full bucket, which is what a source never
 * seen has, so such a cell is free to reuse.
 *
 * <p>The cells live in a fixed table of {@code capacity} entries, 8-way set-associative: a source hashes (with a
 * random seed per table, so that sources cannot be chosen to crowd one set) to a set of 8 cells. A new source takes
 * a free cell of its set or, when all 8 are busy, the one with the earliest {@code tat}: the cell closest to a
 * full bucket, so the sources that forget least are the ones that have connected least (a source over its limit has
 * the latest {@code tat} of all and is evicted last). Memory: three longs per cell, allocated once.
 *
 * <p>Thread-safe: one lock per set (a set is a few cache lines), taken once per new connection, never per packet
 * or byte. Proxy event loops and packet workers share one limiter per frontend.
 */
public final class RateLimiter {
    private static final int WAYS = 8;

    private final long intervalNanos;
    private final long toleranceNanos;
    private final int prefixV4;
    private final int prefixV6;
    private final long[] keyHigh;
    private final long[] keyLow;
    private final long[] tat;
    private final Object[] locks;
    private final int setMask;
    private final long seed = ThreadLocalRandom.current().nextLong();

    /**
     * @param perSecond new connections per second per source, at least 1
     * @param burst     connections a fresh source may open at once, at least 1
     * @param prefixV4  IPv4 bits that name a source (32: each address, 24: each /24)
     * @param prefixV6  IPv6 bits that name a source (64: each /64)
     * @param capacity  cells in the table (rounded up to a power of two, at least 8)
     */
    public RateLimiter(int perSecond, int burst, int prefixV4, int prefixV6, int capacity) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate: " + perSecond + "/s burst " + burst + " (expected: >= 1 each)");
        }
        this.intervalNanos = Math.max(1, 1_000_000_000L / perSecond);
        this.toleranceNanos = (burst - 1) * intervalNanos;
        this.prefixV4 = prefixV4;
        this.prefixV6 = prefixV6;
        int cells = Math.max(WAYS, Integer.highestOneBit(Math.max(capacity, WAYS) - 1) << 1);
        keyHigh = new long[cells];
        keyLow = new long[cells];
        tat = new long[cells];
        locks = new Object[cells / WAYS];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        setMask = locks.length - 1;
    }

    /** Cells in the table: the most sources remembered at once. */
    public int capacity() {
        return tat.length;
    }

    /** A new connection from an IPv4 client (an int as on the wire) at {@code now} (nanoTime); true if admitted. */
    public boolean admitV4(int address, long now) {
        long key = (address & 0xFFFFFFFFL) & Cidr.mask32(prefixV4);
        return admit(-1L, key, now); // -1: a first half no IPv6 source has in this table (the mask keeps its low bits)
    }

    /** A new connection from an IPv6 client at {@code now} (nanoTime); true if admitted. */
    public boolean admitV6(long high, long low, long now) {
        long h = high & Cidr.maskHigh(prefixV6);
        if (prefixV6 <= 64 && h == -1L) {
            h = -2L; // keeps ffff:ffff:ffff:ffff::/64 apart from the IPv4 keys
        }
        return admit(h, low & Cidr.maskLow(prefixV6), now);
    }

    private boolean admit(long high, long low, long now) {
        int set = set(high, low);
        int base = set * WAYS;
        // A tat of 0 marks a never-used cell; nanoTime can be 0 or negative, so times are shifted by one interval.
        synchronized (locks[set]) {
            int cell = -1;
            int victim = base;
            for (int i = base; i < base + WAYS; i++) {
                if (tat[i] != 0 && keyHigh[i] == high && keyLow[i] == low) {
                    cell = i;
                    break;
                }
                if (tat[i] == 0 || tat[i] - tat[victim] < 0 && tat[victim] != 0) {
                    victim = i;
                }
            }
            long theoretical;
            if (cell < 0) {
                cell = victim;
                keyHigh[cell] = high;
                keyLow[cell] = low;
                theoretical = now;
            } else {
                theoretical = tat[cell] - now > 0 ? tat[cell] : now;
            }
            if (theoretical - now > toleranceNanos) {
                return false;
            }
            long next = theoretical + intervalNanos;
            tat[cell] = next == 0 ? 1 : next;
            return true;
        }
    }

    private int set(long high, long low) {
        long h = (high * 0x9E3779B97F4A7C15L) ^ low ^ seed;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h & setMask;
    }
}
