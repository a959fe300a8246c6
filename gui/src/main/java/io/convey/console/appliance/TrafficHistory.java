package io.convey.console.appliance;

import io.convey.console.client.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The last 15 minutes of the appliance's one-second samples per scope ("appliance", "frontend/web",
 * "pool/web_pool", "server/web_pool/a") and the config and health markers on them. FX thread only;
 * {@link #revision()} changes whenever a chart has something new to draw.
 */
public final class TrafficHistory {
    /** How far back the charts look, as the series route allows. */
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** The scope of the whole appliance. */
    public static final String APPLIANCE = "appliance";

    /** What a marker on the charts stands for. */
    public enum MarkerKind { CONFIG, SERVER_UP, SERVER_DOWN }

    /**
     * A vertical line on the charts: when, what, a short label drawn on the chart and the whole story for the
     * list under it; {@code pool} and {@code server} are set for health markers.
     */
    public record Marker(Instant at, MarkerKind kind, String label, String detail, String pool, String server) {
        /** A config change: "v5" and its summary. */
        public static Marker config(Instant at, long version, String summary) {
            String text = summary == null || summary.isBlank() ? "v" + version : "v" + version + " " + summary;
            return new Marker(at, MarkerKind.CONFIG, text, text, null, null);
        }

        /** A server going up or down, and why. */
        public static Marker health(Instant at, String pool, String server, boolean up, String reason) {
            String label = pool + "/" + server + (up ? " up" : " down");
            return new Marker(at, up ? MarkerKind.SERVER_UP : MarkerKind.SERVER_DOWN, label,
                    reason == null || reason.isBlank() ? label : label + ": " + reason, pool, server);
        }

        /** Whether the marker belongs on the charts of {@code scope}: health markers only on their pool and server. */
        public boolean concerns(String scope) {
            if (pool == null || !(scope.startsWith("pool/") || scope.startsWith("server/"))) {
                return true;
            }
            return scope.equals("pool/" + pool) || scope.equals("server/" + pool + "/" + server);
        }
    }

    /** An immutable copy of one scope for drawing off the FX thread. */
    public record Snapshot(String scope, List<Api.Sample> samples, List<Marker> markers) {
    }

    /** The appliance first, then frontends, pools and servers, each by name. */
    private static final Comparator<String> SCOPE_ORDER = Comparator.<String>comparingInt(scope ->
            scope.equals(APPLIANCE) ? 0 : scope.startsWith("frontend/") ? 1 : scope.startsWith("pool/") ? 2 : 3)
            .thenComparing(Comparator.naturalOrder());

    private final Map<String, Deque<Api.Sample>> samples = new HashMap<>();
    private final Deque<Marker> markers = new ArrayDeque<>();
    private final ObservableList<String> scopes = FXCollections.observableArrayList(APPLIANCE);
    private final ObservableList<String> scopesView = FXCollections.unmodifiableObservableList(scopes);
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper();
    private java.util.Set<String> configured = java.util.Set.of();

    /** Replaces the samples with the appliance's own history (on open), keeping newer live samples. */
    public void load(Map<String, List<Api.Sample>> history) {
        history.forEach((scope, older) -> {
            Deque<Api.Sample> live = samples.computeIfAbsent(scope, s -> new ArrayDeque<>());
            Instant firstLive = live.isEmpty() ? Instant.MAX : live.peekFirst().t();
            Deque<Api.Sample> merged = new ArrayDeque<>();
            older.stream().filter(s -> s.t().isBefore(firstLive)).forEach(merged::addLast);
            merged.addAll(live);
            samples.put(scope, merged);
        });
        changed();
    }

    /** One second of every scope, as the stats event carries it. */
    public void add(Map<String, Api.Sample> second) {
        second.forEach((scope, sample) -> {
            Deque<Api.Sample> series = samples.computeIfAbsent(scope, s -> new ArrayDeque<>());
            if (series.isEmpty() || sample.t().isAfter(series.peekLast().t())) {
                series.addLast(sample);
            }
        });
        changed();
    }

    /** Adds a marker unless the same one is there already (history and stream may both report a change). */
    public void mark(Marker marker) {
        if (!markers.contains(marker)) {
            markers.addLast(marker);
            changed();
        }
    }

    private void changed() {
        Instant newest = samples.values().stream().filter(d -> !d.isEmpty()).map(d -> d.peekLast().t())
                .max(Comparator.naturalOrder()).orElse(Instant.now());
        Instant oldest = newest.minus(WINDOW);
        samples.values().forEach(series -> {
            while (!series.isEmpty() && series.peekFirst().t().isBefore(oldest)) {
                series.removeFirst();
            }
        });
        samples.entrySet().removeIf(e -> e.getValue().isEmpty() && !e.getKey().equals(APPLIANCE));
        while (!markers.isEmpty() && markers.peekFirst().at().isBefore(oldest)) {
            markers.removeFirst();
        }
        showScopes();
        revision.set(revision.get() + 1);
    }

    /**
     * The scopes of the frontends, pools and servers configured now: listed before their first connection (the
     * appliance reports a scope only once it has counters).
     */
    public void setConfigured(java.util.Collection<String> scopes) {
        configured = java.util.Set.copyOf(scopes);
        showScopes();
    }

    private void showScopes() {
        java.util.Set<String> all = new java.util.HashSet<>(configured);
        all.addAll(samples.keySet());
        all.add(APPLIANCE);
        List<String> known = all.stream().sorted(SCOPE_ORDER).toList();
        if (!scopes.equals(known)) {
            scopes.setAll(known);
        }
    }

    /** The scopes configured or with samples, in {@link #SCOPE_ORDER}. */
    public ObservableList<String> scopes() {
        return scopesView;
    }

    public Snapshot snapshot(String scope) {
        String shown = scope == null ? APPLIANCE : scope;
        return new Snapshot(shown, List.copyOf(samples.getOrDefault(shown, new ArrayDeque<>())),
                markers.stream().filter(m -> m.concerns(shown)).toList());
    }

    public ReadOnlyLongProperty revision() {
        return revision.getReadOnlyProperty();
    }
}
