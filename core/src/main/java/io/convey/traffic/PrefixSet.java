package io.convey.traffic;

import io.convey.net.Cidr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of address prefixes, looked up in O(log n): the prefixes become sorted, merged ranges of
 * addresses, and a lookup is one binary search per family (as a routing table's sorted-range form, without a trie's
 * pointer chasing). IPv4 ranges are unsigned 32-bit values; IPv6 ranges are 128-bit values as two longs, compared
 * unsigned. Safe to share between threads.
 */
public final class PrefixSet {
    /** The set without a prefix. */
    public static final PrefixSet EMPTY = of(List.of());

    private final long[] v4Start;
    private final long[] v4End;
    private final long[] v6StartHigh;
    private final long[] v6StartLow;
    private final long[] v6EndHigh;
    private final long[] v6EndLow;
    private final int size;

    private PrefixSet(long[][] v4, long[][] v6, int size) {
        this.v4Start = v4[0];
        this.v4End = v4[1];
        this.v6StartHigh = v6[0];
        this.v6StartLow = v6[1];
        this.v6EndHigh = v6[2];
        this.v6EndLow = v6[3];
        this.size = size;
    }

    public static PrefixSet of(List<Cidr> prefixes) {
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (Cidr c : prefixes) {
            if (c.ipv6()) {
                v6.add(new long[] {c.high(), c.low(), c.high() | ~Cidr.maskHigh(c.prefix()),
                        c.low() | ~Cidr.maskLow(c.prefix())});
            } else {
                v4.add(new long[] {c.low(), c.low() | (~Cidr.mask32(c.prefix()) & 0xFFFFFFFFL)});
            }
        }
        return new PrefixSet(mergeV4(v4), mergeV6(v6), prefixes.size());
    }

    private static long[][] mergeV4(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(r.clone());
            }
        }
        long[] start = new long[merged.size()];
        long[] end = new long[merged.size()];
        for (int i = 0; i < merged.size(); i++) {
            start[i] = merged.get(i)[0];
            end[i] = merged.get(i)[1];
        }
        return new long[][] {start, end};
    }

    private static long[][] mergeV6(List<long[]> ranges) {
        ranges.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.getLast();
            // Adjacent ranges are left apart: only overlapping ones (the usual nested prefixes) are merged.
            if (last != null && compare(r[0], r[1], last[2], last[3]) <= 0) {
                if (compare(r[2], r[3], last[2], last[3]) > 0) {
                    last[2] = r[2];
                    last[3] = r[3];
                }
            } else {
                merged.add(r.clone());
            }
        }
        long[][] out = new long[4][merged.size()];
        for (int i = 0; i < merged.size(); i++) {
            for (int k = 0; k < 4; k++) {
                out[k][i] = merged.get(i)[k];
            }
        }
        return out;
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int c = Long.compareUnsigned(aHigh, bHigh);
        return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
    }

    /** Whether the IPv4 address (an int as on the wire, big-endian) is in the set. */
    public boolean containsV4(int address) {
        long a = address & 0xFFFFFFFFL;
        int i = Arrays.binarySearch(v4Start, a);
        if (i >= 0) {
            return true;
        }
        int below = -i - 2; // the last range starting before the address
        return below >= 0 && a <= v4End[below];
    }

    /** Whether the IPv6 address, as its first and last 64 bits, is in the set. */
    public boolean containsV6(long high, long low) {
        int lo = 0;
        int hi = v6StartHigh.length - 1;
        int below = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(v6StartHigh[mid], v6StartLow[mid], high, low) <= 0) {
                below = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return below >= 0 && compare(high, low, v6EndHigh[below], v6EndLow[below]) <= 0;
    }

    /** Prefixes the set was built from. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
