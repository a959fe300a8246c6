package io.convey.admin;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last config and health events with their times, so that charts and a freshly opened dashboard can
 * draw markers without having watched the stream. Bounded by count and by age (the charts' 15 minutes and
 * some margin). Synchronized: written by the engine's threads, read by request threads, a few per minute.
 */
final class RecentEvents {
    static final int CAPACITY = 500;
    static final int MAX_AGE_SECONDS = 3600;

    /** One event: {@code type} is its name in the stream ({@code health}, {@code config}, ...; never {@code stats}). */
    record Event(Instant at, String type, EventRoutes.EventData data) {}

    private final ArrayDeque<Event> events = new ArrayDeque<>();

    synchronized void add(Event event) {
        events.addLast(event);
        Instant oldest = event.at().minusSeconds(MAX_AGE_SECONDS);
        while (events.size() > CAPACITY || events.getFirst().at().isBefore(oldest)) {
            events.removeFirst();
        }
    }

    /** Events at or after {@code from}, oldest first. */
    synchronized List<Event> since(Instant from) {
        return events.stream().filter(e -> !e.at().isBefore(from)).toList();
    }
}
