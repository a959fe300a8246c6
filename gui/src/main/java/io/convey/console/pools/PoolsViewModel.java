package io.convey.console.pools;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.client.ApiException;
import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Fx;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * The backend pools of an appliance and what the operator does to them: change a pool's settings, remove it,
 * add one with its first server. FX thread only; problems are shown next to the field (or row) they concern.
 */
public final class PoolsViewModel {
    private static final Set<String> FIELDS = fields();

    private final ApplianceSession session;
    private final StringProperty selected = new SimpleStringProperty();
    private final ReadOnlyObjectWrapper<Api.Pool> selectedPool = new ReadOnlyObjectWrapper<>();
    private final PoolSettings settings = new PoolSettings();
    private final FieldProblems settingsProblems = new FieldProblems();
    private final ObservableMap<String, String> rowProblems = FXCollections.observableHashMap();
    private final StringProperty newName = new SimpleStringProperty("");
    private final PoolSettings newSettings = new PoolSettings();
    private final StringProperty newServer = new SimpleStringProperty("");
    private final StringProperty newAddr = new SimpleStringProperty("");
    private final StringProperty newWeight = new SimpleStringProperty("");
    private final FieldProblems addProblems = new FieldProblems();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public PoolsViewModel(ApplianceSession session) {
        this.session = session;
        session.pools().addListener((ListChangeListener<Api.Pool>) c -> update());
        selected.addListener((o, was, now) -> {
            settingsProblems.clear();
            update();
        });
    }

    /** True while the console's role may use this screen's {@code admin} commands. */
    public BooleanBinding mayEdit() {
        return session.allows(Role.ADMIN);
    }

    private static Set<String> fields() {
        Set<String> fields = new HashSet<>(PoolSettings.NUMBERS.keySet());
        fields.addAll(Set.of("algorithm", "addr", "weight", "send_proxy", "observe", "half_close"));
        return Set.copyOf(fields);
    }

    /** Follows re-reads; the form is filled only when another pool is shown, so typing is never overwritten. */
    private void update() {
        Api.Pool was = selectedPool.get();
        Api.Pool now = session.pools().stream().filter(p -> p.name().equals(selected.get())).findFirst().orElse(null);
        selectedPool.set(now);
        if (now != null && (was == null || !was.name().equals(now.name()))) {
            settings.fill(now);
        }
    }

    public ObservableList<Api.Pool> pools() {
        return session.pools();
    }

    /** The frontends that send connections to {@code pool}, comma-separated. */
    public String usedBy(String pool) {
        return session.frontends().stream().filter(f -> pool.equals(f.backend())).map(Api.Frontend::name)
                .sorted().collect(Collectors.joining(", "));
    }

    /** The name of the pool whose settings the form shows. */
    public StringProperty selected() {
        return selected;
    }

    public ReadOnlyObjectProperty<Api.Pool> selectedPool() {
        return selectedPool.getReadOnlyProperty();
    }

    public PoolSettings settings() {
        return settings;
    }

    public FieldProblems settingsProblems() {
        return settingsProblems;
    }

    /** Per pool name: the error of the last command on that row. */
    public ObservableMap<String, String> rowProblems() {
        return rowProblems;
    }

    public StringProperty newName() {
        return newName;
    }

    public PoolSettings newSettings() {
        return newSettings;
    }

    public StringProperty newServer() {
        return newServer;
    }

    public StringProperty newAddr() {
        return newAddr;
    }

    public StringProperty newWeight() {
        return newWeight;
    }

    public FieldProblems addProblems() {
        return addProblems;
    }

    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    /** Sends the selected pool's changed settings. */
    public void apply() {
        Api.Pool pool = selectedPool.get();
        if (pool == null) {
            return;
        }
        settingsProblems.clear();
        Optional<Map<String, Object>> body = settings.body(pool, settingsProblems);
        if (body.isEmpty()) {
            return;
        }
        if (body.get().isEmpty()) {
            message.set("pool " + pool.name() + ": nothing changed");
            return;
        }
        Fx.then(session.client().updatePool(pool.name(), body.get()), result -> written(result),
                failure -> settingsProblems.show(failure, FieldProblems.lastSegment(FIELDS, "backends." + pool.name())));
    }

    /** Removes the selected pool; the appliance refuses (409) while a frontend uses it. */
    public void remove() {
        String pool = selected.get();
        if (pool == null) {
            return;
        }
        rowProblems.remove(pool);
        settingsProblems.clear();
        Fx.then(session.client().removePool(pool), result -> {
            selected.set(null);
            settings.clear();
            written(result);
        }, failure -> {
            rowProblems.put(pool, Fx.unwrap(failure) instanceof ApiException api ? api.getMessage() : Fx.brief(failure));
            settingsProblems.show(failure, path -> FieldProblems.FORM);
        });
    }

    /** Adds a pool with the typed settings and its first server. */
    public void add() {
        addProblems.clear();
        String name = newName.get().strip();
        String server = newServer.get().strip();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        Optional<Map<String, Object>> typed = newSettings.body(null, addProblems);
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("addr", newAddr.get().strip());
        if (!newWeight.get().isBlank()) {
            try {
                first.put("weight", Integer.parseInt(newWeight.get().strip()));
            } catch (NumberFormatException e) {
                addProblems.put("weight", newWeight.get().strip() + " (expected: 0-65535)");
            }
        }
        if (typed.isEmpty() || !addProblems.isEmpty()) {
            return;
        }
        body.putAll(typed.get());
        body.put("servers", Map.of(server, first));
        String serverPath = "backends." + name + ".servers." + server;
        Function<String, String> fieldOf = FieldProblems.lastSegment(FIELDS, "backends." + name);
        Fx.then(session.client().addPool(body), result -> {
            newName.set("");
            newServer.set("");
            newAddr.set("");
            newWeight.set("");
            newSettings.clear();
            written(result);
            selected.set(name);
        }, failure -> addProblems.show(failure, path -> path.equals(serverPath) ? "server" : fieldOf.apply(path)));
    }

    private void written(Api.WriteResult result) {
        message.set(result.summary() + " (config version " + result.configVersion() + ")");
        session.written(result);
    }
}
