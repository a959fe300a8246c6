package io.convey.console.appliance;

import io.convey.console.appliances.Appliance;
import io.convey.console.appliances.Credentials;
import io.convey.console.appliances.Login;
import io.convey.console.appliances.TokenStore;
import io.convey.console.client.AdminClient;
import io.convey.console.client.Api;
import io.convey.console.client.ApiException;
import io.convey.console.client.ApplianceEvent;
import io.convey.console.client.EventStream;
import io.convey.console.client.Role;
import io.convey.console.fx.Format;
import io.convey.console.fx.Fx;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One open appliance: its status, pools and frontends as last read, the live event stream feeding the charts
 * and notifications. The shared view-model of that appliance's screens. State lives on the FX thread; HTTP
 * and the stream run elsewhere and hand results over with {@link Platform#runLater}.
 */
public final class ApplianceSession implements AutoCloseable {
    /** Status, pools and frontends are re-read every this many stats events (seconds) while the stream runs. */
    private static final int REFRESH_TICKS = 2;

    private final Appliance appliance;
    private final AdminClient client;
    private final Consumer<String> notifier;
    private final ReadOnlyObjectWrapper<Api.Status> status = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Api.Pool> pools = FXCollections.observableArrayList();
    private final ObservableList<Api.Frontend> frontends = FXCollections.observableArrayList();
    // One read-only view each, kept: a view listens weakly to its list, so a fresh one per call could be collected.
    private final ObservableList<Api.Pool> poolsView = FXCollections.unmodifiableObservableList(pools);
    private final ObservableList<Api.Frontend> frontendsView = FXCollections.unmodifiableObservableList(frontends);
    private final ReadOnlyBooleanWrapper streaming = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ApplianceEvent.ConfigRejected> lastRejected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyLongWrapper configVersion = new ReadOnlyLongWrapper(-1);
    private final TrafficHistory traffic = new TrafficHistory();
    private final TokenStore tokens;
    private final ReadOnlyObjectWrapper<Role> role = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper user = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loginNeeded = new ReadOnlyBooleanWrapper();
    private final Map<Role, BooleanBinding> allows = new EnumMap<>(Role.class);
    private EventStream stream;
    private int ticks;

    /**
     * A session on {@code appliance} with the token {@code tokens} holds for it; {@code notifier} receives one line
     * per server that goes down (FX thread).
     */
    public ApplianceSession(Appliance appliance, TokenStore tokens, Consumer<String> notifier) {
        this.appliance = appliance;
        this.tokens = tokens;
        this.client = new AdminClient(appliance.url(), appliance.trust(), () -> tokens.token(appliance.url()));
        this.notifier = notifier;
        for (Role r : Role.values()) {
            allows.put(r, Bindings.createBooleanBinding(() -> role.get() != null && role.get().allows(r), role));
        }
        pools.addListener((javafx.collections.ListChangeListener<Api.Pool>) c -> chartScopes());
        frontends.addListener((javafx.collections.ListChangeListener<Api.Frontend>) c -> chartScopes());
    }

    private void chartScopes() {
        java.util.List<String> scopes = new java.util.ArrayList<>();
        frontends.forEach(f -> scopes.add("frontend/" + f.name()));
        pools.forEach(p -> {
            scopes.add("pool/" + p.name());
            p.servers().forEach(s -> scopes.add("server/" + p.name() + "/" + s.name()));
        });
        traffic.setConfigured(scopes);
    }

    public Appliance appliance() {
        return appliance;
    }

    public AdminClient client() {
        return client;
    }

    public ReadOnlyObjectProperty<Api.Status> status() {
        return status.getReadOnlyProperty();
    }

    public ObservableList<Api.Pool> pools() {
        return poolsView;
    }

    public ObservableList<Api.Frontend> frontends() {
        return frontendsView;
    }

    /** True while the event stream is connected. */
    public ReadOnlyBooleanProperty connected() {
        return connected.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty streaming() {
        return streaming.getReadOnlyProperty();
    }

    /** The last failure to read the appliance; empty after a successful refresh. */
    public ReadOnlyStringProperty error() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ApplianceEvent.ConfigRejected> lastRejected() {
        return lastRejected.getReadOnlyProperty();
    }

    /** The newest config version seen (status, events, writes); screens re-read what depends on it. */
    public ReadOnlyLongProperty configVersion() {
        return configVersion.getReadOnlyProperty();
    }

    public TrafficHistory traffic() {
        return traffic;
    }

    /** The role the console's credential acts with; null until the appliance has said. */
    public ReadOnlyObjectProperty<Role> role() {
        return role.getReadOnlyProperty();
    }

    /** True while the role is known and at least {@code needed}: what enables the controls that need it. */
    public BooleanBinding allows(Role needed) {
        return allows.get(needed);
    }

    /** The user the console's credential belongs to. */
    public ReadOnlyStringProperty user() {
        return user.getReadOnlyProperty();
    }

    /** True once the appliance has refused the credential (401: no token, or revoked): the operator logs in again. */
    public ReadOnlyBooleanProperty loginNeeded() {
        return loginNeeded.getReadOnlyProperty();
    }

    /** Logs in again (a new token replaces the refused one); {@code done} gets the failure, or null. FX thread. */
    public void logIn(Credentials credentials, Consumer<Throwable> done) {
        try {
            credentials.validated();
        } catch (IllegalArgumentException e) {
            done.accept(e);
            return;
        }
        Fx.then(Login.logIn(appliance, credentials, tokens), session -> {
            loginNeeded.set(false);
            seeSession(session);
            done.accept(null);
            refresh();
        }, done);
    }

    private void seeSession(Api.Session session) {
        loginNeeded.set(false);
        user.set(session.user());
        role.set(Role.of(session.role()).orElse(null));
    }

    /** Re-reads who the console is, status, pools and frontends. */
    public void refresh() {
        Fx.then(client.session(), this::seeSession, this::failed);
        Fx.then(client.status(), s -> {
            status.set(s);
            seeVersion(s.configVersion());
            error.set("");
        }, this::failed);
        refreshPools();
        Fx.then(client.frontends(), frontends::setAll, this::failed);
    }

    public void refreshPools() {
        Fx.then(client.pools(), pools::setAll, this::failed);
    }

    /** A write succeeded: remember its version and re-read what it changed. */
    public void written(Api.WriteResult result) {
        seeVersion(result.configVersion());
        refresh();
    }

    private void seeVersion(long version) {
        if (version > configVersion.get()) {
            configVersion.set(version);
        }
    }

    private void failed(Throwable failure) {
        if (Fx.unwrap(failure) instanceof ApiException api && api.status() == 401) {
            loginNeeded.set(true);
        }
        error.set(Fx.describe(failure));
    }

    /** Starts the event stream (and the 15 minutes of history before it) or stops it; FX thread. */
    public void setStreaming(boolean on) {
        if (on == (stream != null)) {
            return;
        }
        if (on) {
            stream = client.events(event -> Platform.runLater(() -> apply(event)),
                    up -> Platform.runLater(() -> connected.set(up && stream != null)),
                    failure -> Platform.runLater(() -> {
                        if (stream != null) {
                            failed(failure);
                        }
                    }));
            loadHistory();
        } else {
            stream.close();
            stream = null;
            connected.set(false);
        }
        streaming.set(on);
    }

    private void loadHistory() {
        Fx.then(client.series((int) TrafficHistory.WINDOW.toSeconds()),
                series -> traffic.load(series.scopes()), this::failed);
        Instant since = Instant.now().minus(TrafficHistory.WINDOW);
        Fx.then(client.history(), entries -> entries.stream().filter(e -> e.at().isAfter(since)).forEach(
                e -> traffic.mark(TrafficHistory.Marker.config(e.at(), e.configVersion(), e.summary()))), this::failed);
        // servers that went down or up before the console opened: their markers too, as the legend promises
        Fx.then(client.pools(), list -> list.forEach(pool -> pool.servers().forEach(server -> {
            if (server.health() != null && server.health().history() != null) {
                server.health().history().stream().filter(h -> h.at().isAfter(since)).forEach(h -> traffic.mark(
                        TrafficHistory.Marker.health(h.at(), pool.name(), server.name(), h.up(), h.reason())));
            }
        })), this::failed);
    }

    private void apply(ApplianceEvent event) {
        if (stream == null) {
            return; // stopped after this event was queued
        }
        switch (event) {
            case ApplianceEvent.Stats stats -> {
                traffic.add(stats.scopes());
                if (++ticks % REFRESH_TICKS == 0) {
                    refresh();
                }
            }
            case ApplianceEvent.HealthChanged health -> {
                traffic.mark(TrafficHistory.Marker.health(health.at(), health.pool(), health.server(), health.up(),
                        health.reason()));
                if (!health.up()) {
                    notifier.accept(Format.time(health.at()) + "  " + appliance.name() + ": server " + health.pool() + "/"
                            + health.server() + " (" + health.addr() + ") is DOWN: " + health.reason());
                }
                refreshPools();
            }
            case ApplianceEvent.ConfigApplied config -> {
                traffic.mark(TrafficHistory.Marker.config(config.at(), config.configVersion(), config.summary()));
                seeVersion(config.configVersion());
                refresh();
            }
            case ApplianceEvent.ConfigRejected rejected -> {
                lastRejected.set(rejected);
                refresh();
            }
            case ApplianceEvent.AvailabilityChanged changed -> refresh();
        }
    }

    @Override
    public void close() {
        setStreaming(false);
    }
}
