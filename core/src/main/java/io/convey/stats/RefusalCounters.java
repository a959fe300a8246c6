package io.convey.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connections a frontend closed before choosing a server, by reason (no or an invalid PROXY header, no TLS
 * ClientHello, no server, a full or too slow queue, the frontend at its limit): bumped from event loops, read at
 * scrape and API time.
 */
public final class RefusalCounters {
    private final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();

    public void refused(String reason) {
        byReason.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Counts by reason, sorted by reason; reasons never seen are absent. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byReason.forEach((reason, n) -> out.put(reason, n.sum()));
        return out;
    }
}
