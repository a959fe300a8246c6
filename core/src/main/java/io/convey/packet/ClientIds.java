package io.convey.packet;

import java.util.Arrays;

/**
 * The ids of one worker's IPv6 clients, in {@code [2^20, 2^24)} above the VIP and server ids ({@link Ipv6}):
 * counted references held by the flows that use them, an id freed when its last flow goes. Open addressing on the
 * address's two longs with backward-shift deletion, so a lookup allocates nothing; the arrays grow (doubling) up to
 * the flow table's capacity as clients arrive. Single-threaded: only its worker touches it.
 */
final class ClientIds {
    static final int FIRST = Ipv6.LIMIT;
    static final int END = 1 << 24;
    private static final int NONE = -1;

    private final int limit;
    private long[] highs = new long[16];
    private long[] lows = new long[16];
    private int[] refs = new int[16];
    /** Free list of released entries, linked through this array. */
    private int[] nextFree = new int[16];
    /** Slot to entry + 1 (0 = empty); an entry is an id minus {@link #FIRST}. */
    private int[] index = new int[32];
    private int freeHead = NONE;
    private int allocated;
    private int size;

    /** A table for up to {@code limit} clients at a time (capped by the id range). */
    ClientIds(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        this.limit = Math.min(limit, END - FIRST);
    }

    /** Returns true if the int is a client id (not an IPv4 address, VIP or server id). */
    static boolean isClientId(int ip) {
        return ip >= FIRST && ip < END;
    }

    /** Returns the id of a client that has flows, or 0. */
    int find(long high, long low) {
        int mask = index.length - 1;
        for (int slot = Ipv6.hash(high, low) & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot] - 1;
            if (e == NONE) {
                return 0;
            }
            if (highs[e] == high && lows[e] == low) {
                return FIRST + e;
            }
        }
    }

    /** Returns the client's id with one more reference, adding it if new; 0 if the table is full. */
    int acquire(long high, long low) {
        int id = find(high, low);
        if (id != 0) {
            refs[id - FIRST]++;
            return id;
        }
        if (size == limit) {
            return 0;
        }
        int e = takeEntry();
        highs[e] = high;
        lows[e] = low;
        refs[e] = 1;
        if (++size * 2 > index.length) {
            reindex(index.length * 2);
        }
        insert(e);
        return FIRST + e;
    }

    /** Drops one reference; the last one frees the id. */
    void release(int id) {
        int e = id - FIRST;
        if (--refs[e] > 0) {
            return;
        }
        unindex(e);
        nextFree[e] = freeHead;
        freeHead = e;
        size--;
    }

    long high(int id) {
        return highs[id - FIRST];
    }

    long low(int id) {
        return lows[id - FIRST];
    }

    /** The number of clients with at least one reference. */
    int size() {
        return size;
    }

    private int takeEntry() {
        if (freeHead != NONE) {
            int e = freeHead;
            freeHead = nextFree[e];
            return e;
        }
        if (allocated == highs.length) {
            int length = Math.min(highs.length * 2, limit);
            highs = Arrays.copyOf(highs, length);
            lows = Arrays.copyOf(lows, length);
            refs = Arrays.copyOf(refs, length);
            nextFree = Arrays.copyOf(nextFree, length);
        }
        return allocated++;
    }

    private void insert(int e) {
        int mask = index.length - 1;
        int slot = Ipv6.hash(highs[e], lows[e]) & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = e + 1;
    }

    private void reindex(int length) {
        int[] old = index;
        index = new int[length];
        for (int entry : old) {
            if (entry != 0) {
                insert(entry - 1);
            }
        }
    }

    /** Linear-probing deletion with backward shift, as in {@link FlowTable}: lookups need no tombstones. */
    private void unindex(int e) {
        int mask = index.length - 1;
        int hole = Ipv6.hash(highs[e], lows[e]) & mask;
        while (index[hole] != e + 1) {
            hole = (hole + 1) & mask;
        }
        index[hole] = 0;
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int g = index[j] - 1;
            int k = Ipv6.hash(highs[g], lows[g]) & mask;
            boolean stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
            if (!stays) {
                index[hole] = index[j];
                index[j] = 0;
                hole = j;
            }
        }
    }
}
