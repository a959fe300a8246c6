package io.convey.console.appliances;

import io.convey.console.client.AdminClient;
import io.convey.console.client.Api;
import io.convey.console.fx.Fx;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The remembered appliances with a status light each, polled every five seconds while the list is shown.
 * State lives on the FX thread; polls run on the HTTP client's threads and report back through {@link Fx}.
 */
public final class AppliancesViewModel implements AutoCloseable {
    static final long POLL_SECONDS = 5;

    /** What an appliance's light shows. */
    public enum Light { UNKNOWN, UP, DEGRADED, UNREACHABLE }

    /** One appliance of the list and its last known light. */
    public static final class Entry {
        private final Appliance appliance;
        private final AdminClient client;
        private final ReadOnlyObjectWrapper<Light> light = new ReadOnlyObjectWrapper<>(Light.UNKNOWN);
        private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper("not checked yet");

        Entry(Appliance appliance) {
            this.appliance = appliance;
            this.client = new AdminClient(appliance.url(), appliance.optionalToken());
        }

        public Appliance appliance() {
            return appliance;
        }

        public ReadOnlyObjectProperty<Light> light() {
            return light.getReadOnlyProperty();
        }

        public ReadOnlyStringProperty detail() {
            return detail.getReadOnlyProperty();
        }
    }

    private final ApplianceStore store;
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "appliance-poll");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> polling;

    public AppliancesViewModel(ApplianceStore store) {
        this.store = store;
    }

    public ObservableList<Entry> entries() {
        return entries;
    }

    public ReadOnlyStringProperty error() {
        return error.getReadOnlyProperty();
    }

    /** Reads the store; a broken file is reported and leaves the list empty. */
    public void load() {
        try {
            entries.setAll(store.load().stream().map(Entry::new).toList());
            error.set("");
        } catch (IOException e) {
            error.set("cannot read " + store.file() + " (" + Fx.describe(e) + ")");
        }
    }

    /** Adds an appliance and remembers it; returns its entry, or empty with {@link #error()} set. */
    public java.util.Optional<Entry> add(String name, String address, String token) {
        Appliance appliance;
        try {
            appliance = Appliance.parse(name, address, token);
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return java.util.Optional.empty();
        }
        Entry entry = new Entry(appliance);
        entries.add(entry);
        save();
        poll(entry);
        return java.util.Optional.of(entry);
    }

    public void remove(Entry entry) {
        entries.remove(entry);
        save();
    }

    private void save() {
        try {
            store.save(entries.stream().map(Entry::appliance).toList());
            error.set("");
        } catch (IOException e) {
            error.set("cannot save " + store.file() + " (" + Fx.describe(e) + ")");
        }
    }

    /** Starts or stops the periodic status checks (stopped while the window is hidden). */
    public void setPolling(boolean on) {
        if (on && polling == null) {
            polling = timer.scheduleWithFixedDelay(() -> Platform.runLater(this::pollAll), 0, POLL_SECONDS,
                    TimeUnit.SECONDS);
        } else if (!on && polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    public void pollAll() {
        List.copyOf(entries).forEach(this::poll);
    }

    private void poll(Entry entry) {
        CompletableFuture<Api.Status> status = entry.client.status();
        CompletableFuture<List<Api.Pool>> pools = entry.client.pools();
        Fx.then(status.thenCombine(pools, (s, p) -> light(s, p)), result -> {
            entry.light.set(result.light());
            entry.detail.set(result.detail());
        }, failure -> {
            entry.light.set(Light.UNREACHABLE);
            entry.detail.set(Fx.describe(failure));
        });
    }

    private record Verdict(Light light, String detail) {
    }

    private static Verdict light(Api.Status status, List<Api.Pool> pools) {
        long down = pools.stream().flatMap(p -> p.servers().stream())
                .filter(s -> !"disabled".equals(s.state()) && s.health() != null && s.health().checked() && !s.health().up())
                .count();
        String detail = status.mode() + " mode, config version " + status.configVersion();
        return down == 0 ? new Verdict(Light.UP, detail)
                : new Verdict(Light.DEGRADED, detail + ", " + down + (down == 1 ? " server down" : " servers down"));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
