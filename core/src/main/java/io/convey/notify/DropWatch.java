package io.convey.notify;

import io.convey.config.NotifyConfig;
import io.convey.config.NotifyEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Raises {@code packets_dropped} once when the packet data plane's drops within the window reach the threshold,
 * and again only after a window below it. Fed once a second by the stats sampler's thread.
 */
final class DropWatch {
    private record Point(Instant at, long total, Map<String, Long> byReason) {}

    private final ArrayDeque<Point> window = new ArrayDeque<>();
    private boolean raised;

    synchronized List<Notifier.Pending> sample(Instant now, Map<String, Object> details, NotifyConfig config) {
        if (!(details.get("packet") instanceof Map<?, ?> packet) || !(packet.get("dropped") instanceof Map<?, ?> drops)) {
            return List.of();
        }
        Map<String, Long> byReason = new TreeMap<>();
        drops.forEach((reason, n) -> byReason.put(reason.toString(), ((Number) n).longValue()));
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        window.addLast(new Point(now, total, byReason));
        while (window.size() > 1 && window.peekFirst().at().isBefore(now.minus(config.dropWindow()))) {
            window.removeFirst();
        }
        Point oldest = window.peekFirst();
        long dropped = total - oldest.total();
        if (dropped >= config.dropThreshold() && !raised) {
            raised = true;
            Map<String, Long> delta = new TreeMap<>();
            byReason.forEach((reason, n) -> {
                long d = n - oldest.byReason().getOrDefault(reason, 0L);
                if (d > 0) {
                    delta.put(reason, d);
                }
            });
            return List.of(new Notifier.Pending(NotifyEvent.PACKETS_DROPPED, now, Notifier.body("dropped", dropped,
                    "window_s", config.dropWindow().toSeconds(), "threshold", config.dropThreshold(),
                    "by_reason", delta)));
        }
        if (dropped < config.dropThreshold()) {
            raised = false;
        }
        return List.of();
    }
}
