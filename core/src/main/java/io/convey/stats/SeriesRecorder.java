package io.convey.stats;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps per-second samples (bytes per second each way, active connections, new connections per second)
 * for every scope over a bounded window, for charts. {@link #record} is called once a second by one
 * thread; readers may call {@link #series} from any thread (methods are synchronized: one sample a
 * second, so contention is negligible).
 */
public final class SeriesRecorder {
    /** One second of one scope. */
    public record Sample(Instant at, long bytesInPerSec, long bytesOutPerSec, long active, long newPerSec) {}

    private final int capacity;
    private final Map<String, ArrayDeque<Sample>> series = new LinkedHashMap<>();
    private final Map<String, TrafficCounters.Snapshot> previous = new HashMap<>();

    /** @param capacity samples kept per scope (900 = 15 minutes) */
    public SeriesRecorder(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records one sample per scope from cumulative counters; rates are the difference to the previous call.
     * "in" is client to server (tx), "out" server to client (rx).
     */
    public synchronized Map<String, Sample> record(Instant now, Map<String, TrafficCounters.Snapshot> scopes) {
        Map<String, Sample> latest = new LinkedHashMap<>();
        for (var entry : scopes.entrySet()) {
            TrafficCounters.Snapshot s = entry.getValue();
            TrafficCounters.Snapshot p = previous.getOrDefault(entry.getKey(), s);
            Sample sample = new Sample(now, Math.max(0, s.bytesTx() - p.bytesTx()), Math.max(0, s.bytesRx() - p.bytesRx()),
                    s.currentConnections(), Math.max(0, s.totalConnections() - p.totalConnections()));
            ArrayDeque<Sample> deque = series.computeIfAbsent(entry.getKey(), k -> new ArrayDeque<>());
            if (deque.size() == capacity) {
                deque.removeFirst();
            }
            deque.addLast(sample);
            previous.put(entry.getKey(), s);
            latest.put(entry.getKey(), sample);
        }
        series.keySet().retainAll(scopes.keySet());
        previous.keySet().retainAll(scopes.keySet());
        return latest;
    }

    /** The samples of the last {@code seconds} seconds, per scope, oldest first. */
    public synchronized Map<String, List<Sample>> series(int seconds) {
        Map<String, List<Sample>> out = new LinkedHashMap<>();
        for (var entry : series.entrySet()) {
            List<Sample> all = new ArrayList<>(entry.getValue());
            out.put(entry.getKey(), List.copyOf(all.subList(Math.max(0, all.size() - seconds), all.size())));
        }
        return out;
    }

    public int capacity() {
        return capacity;
    }
}
