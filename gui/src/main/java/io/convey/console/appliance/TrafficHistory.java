package io.convey.console.appliance;

import io.convey.console.client.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * The last 15 minutes of the appliance's one-second samples and the config and health markers on them.
 * FX thread only; {@link #revision()} changes whenever a chart has something new to draw.
 */
public final class TrafficHistory {
    /** How far back the charts look, as the series route allows. */
    public static final Duration WINDOW = Duration.ofMinutes(15);

    /** What a marker on the charts stands for. */
    public enum MarkerKind { CONFIG, SERVER_UP, SERVER_DOWN }

    /** A vertical line on the charts: when, what and a short label. */
    public record Marker(Instant at, MarkerKind kind, String label) {
    }

    /** An immutable copy for drawing off the FX thread. */
    public record Snapshot(List<Api.Sample> samples, List<Marker> markers) {
    }

    private final Deque<Api.Sample> samples = new ArrayDeque<>();
    private final Deque<Marker> markers = new ArrayDeque<>();
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper();

    /** Replaces the samples with the appliance's own history (on open), keeping newer live samples. */
    public void load(List<Api.Sample> history) {
        Instant firstLive = samples.isEmpty() ? Instant.MAX : samples.peekFirst().t();
        Deque<Api.Sample> merged = new ArrayDeque<>();
        history.stream().filter(s -> s.t().isBefore(firstLive)).forEach(merged::addLast);
        merged.addAll(samples);
        samples.clear();
        samples.addAll(merged);
        trim();
    }

    public void add(Api.Sample sample) {
        if (!samples.isEmpty() && !sample.t().isAfter(samples.peekLast().t())) {
            return;
        }
        samples.addLast(sample);
        trim();
    }

    public void mark(Marker marker) {
        markers.addLast(marker);
        trim();
    }

    private void trim() {
        Instant newest = samples.isEmpty() ? Instant.now() : samples.peekLast().t();
        Instant oldest = newest.minus(WINDOW);
        while (!samples.isEmpty() && samples.peekFirst().t().isBefore(oldest)) {
            samples.removeFirst();
        }
        while (!markers.isEmpty() && markers.peekFirst().at().isBefore(oldest)) {
            markers.removeFirst();
        }
        revision.set(revision.get() + 1);
    }

    public Snapshot snapshot() {
        return new Snapshot(List.copyOf(samples), List.copyOf(markers));
    }

    public ReadOnlyLongProperty revision() {
        return revision.getReadOnlyProperty();
    }
}
