package io.convey.console.appliances;

import io.convey.console.client.AdminClient;
import io.convey.console.client.Api;
import io.convey.console.client.Trust;
import io.convey.console.client.UntrustedCertificateException;
import io.convey.console.fx.Fx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
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

        Entry(Appliance appliance, TokenStore tokens) {
            this.appliance = appliance;
            this.client = new AdminClient(appliance.url(), appliance.trust(), () -> tokens.token(appliance.url()));
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

    /** A certificate met on the first connection to an appliance, waiting for the operator to trust it or not. */
    public record PendingTrust(Appliance appliance, String fingerprint, String subject, Credentials credentials,
            Consumer<Entry> onAdded) {
    }

    private final ApplianceStore store;
    private final TokenStore tokens;
    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<PendingTrust> pendingTrust = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "appliance-poll");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> polling;

    public AppliancesViewModel(ApplianceStore store, TokenStore tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    /** The appliances and tokens in {@code dir}: {@code appliances.json} and {@code tokens.json}. */
    public static AppliancesViewModel in(Path dir) {
        return new AppliancesViewModel(new ApplianceStore(dir.resolve("appliances.json")),
                new TokenStore(dir.resolve("tokens.json")));
    }

    /** The user's own, in {@code ~/.config/convey-console/}. */
    public static AppliancesViewModel inUserConfig() {
        return in(ApplianceStore.userConfigDir());
    }

    public TokenStore tokens() {
        return tokens;
    }

    /** The certificate the operator is asked to trust now, or null. */
    public ReadOnlyObjectProperty<PendingTrust> pendingTrust() {
        return pendingTrust.getReadOnlyProperty();
    }

    /** True while an appliance is being added (connecting, logging in). */
    public ReadOnlyBooleanProperty busy() {
        return busy.getReadOnlyProperty();
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
            entries.setAll(store.load().stream().map(a -> new Entry(a, tokens)).toList());
            error.set("");
        } catch (IOException e) {
            error.set("cannot read " + store.file() + " (" + Fx.describe(e) + ")");
        }
    }

    /**
     * Connects to a new appliance, logs in and remembers it; {@code onAdded} runs with its entry (FX thread). On the
     * first connection the certificate is not trusted yet: {@link #pendingTrust()} asks the operator, and
     * {@link #trustPending()} carries on. Problems end up in {@link #error()}.
     */
    public void add(String name, String address, Credentials credentials, String caFile, Consumer<Entry> onAdded) {
        Appliance appliance;
        try {
            Trust trust = caFile == null || caFile.isBlank() ? Trust.firstUse() : new Trust.CaFile(Path.of(caFile.strip()));
            appliance = Appliance.parse(name, address, trust);
            credentials.validated();
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        connect(appliance, credentials, onAdded);
    }

    private void connect(Appliance appliance, Credentials credentials, Consumer<Entry> onAdded) {
        error.set("");
        busy.set(true);
        Fx.then(Login.logIn(appliance, credentials, tokens), session -> {
            busy.set(false);
            entries.removeIf(e -> e.appliance().url().equals(appliance.url()));
            Entry entry = new Entry(appliance, tokens);
            entries.add(entry);
            save();
            poll(entry);
            onAdded.accept(entry);
        }, failure -> {
            busy.set(false);
            var untrusted = UntrustedCertificateException.in(failure);
            if (untrusted.isPresent() && !untrusted.get().changed() && appliance.trust() instanceof Trust.FirstUse) {
                pendingTrust.set(new PendingTrust(appliance, untrusted.get().presented(),
                        untrusted.get().certificate().getSubjectX500Principal().getName(), credentials, onAdded));
            } else {
                error.set(appliance.url() + ": " + Fx.describe(failure));
            }
        });
    }

    /** The operator trusts the certificate shown: it is pinned for this appliance and the login goes on. */
    public void trustPending() {
        PendingTrust pending = pendingTrust.get();
        if (pending != null) {
            pendingTrust.set(null);
            connect(pending.appliance().withTrust(new Trust.Pinned(pending.fingerprint())), pending.credentials(),
                    pending.onAdded());
        }
    }

    /** The operator does not trust the certificate shown: nothing is sent, nothing remembered. */
    public void rejectPending() {
        if (pendingTrust.get() != null) {
            error.set(pendingTrust.get().appliance().url() + ": certificate not trusted; nothing was sent");
            pendingTrust.set(null);
        }
    }

    /** Forgets an appliance and its token (the token is also revoked on the appliance, if it still answers). */
    public void remove(Entry entry) {
        entries.remove(entry);
        save();
        tokens.get(entry.appliance().url()).map(TokenStore.Entry::id).filter(id -> !id.isBlank()).ifPresent(
                id -> entry.client.revokeToken(id).exceptionally(failure -> null));
        try {
            tokens.remove(entry.appliance().url());
        } catch (IOException e) {
            error.set("cannot save " + tokens.file() + " (" + Fx.describe(e) + ")");
        }
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
