package io.convey.balance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Source persistence as IPVS does it ({@code ipvsadm --persistent}): the server a client address was last given,
 * kept for a timeout after its last use, in a table of bounded size that forgets the least recently used client
 * first. Keys are client flow keys ({@link FlowKeys}, port 0); the time is passed in, so the table stays pure.
 *
 * <p>Synchronized: one short section per new connection, never per read, as {@link SmoothRoundRobin}'s pick.
 */
public final class PersistenceTable {
    /** Clients remembered at most per pool: about 100 bytes each, so about 6 MB at this size. */
    public static final int DEFAULT_CAPACITY = 65_536;

    private final int capacity;
    private final LinkedHashMap<Long, Remembered> entries;

    private record Remembered(String server, long lastUsedNanos) {}

    public PersistenceTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
        }
        this.capacity = capacity;
        // Access order: the eldest entry is the least recently used, evicted past the capacity.
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Remembered> eldest) {
                return size() > PersistenceTable.this.capacity;
            }
        };
    }

    /** The server {@code client} was last given, or null when unknown or older than {@code timeoutNanos}. */
    public synchronized String lookup(long client, long nowNanos, long timeoutNanos) {
        Remembered entry = entries.get(client);
        if (entry == null) {
            return null;
        }
        if (nowNanos - entry.lastUsedNanos() > timeoutNanos) {
            entries.remove(client);
            return null;
        }
        return entry.server();
    }

    /** Records (or refreshes) that {@code client} was given {@code server} now. */
    public synchronized void remember(long client, String server, long nowNanos) {
        entries.put(client, new Remembered(server, nowNanos));
    }

    public synchronized int size() {
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }
}
