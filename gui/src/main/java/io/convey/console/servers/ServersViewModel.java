package io.convey.console.servers;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.fx.Format;
import io.convey.console.fx.Fx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The servers of one pool and what the operator does to them: weight, state, add (after a probe), remove and
 * the what-if preview. FX thread only; every command answers through {@link Fx} and shows its error next to
 * the row or form it came from.
 */
public final class ServersViewModel {
    /** Server states as the config and the API name them. */
    public static final List<String> STATES = List.of("enabled", "drain", "disabled");

    private final ApplianceSession session;
    private final StringProperty pool = new SimpleStringProperty();
    private final ObservableList<String> poolNames = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Api.Pool> selected = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Api.Server> servers = FXCollections.observableArrayList();
    private final ObservableMap<String, String> rowProblems = FXCollections.observableHashMap();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper addProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper probeResult = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper previewResult = new ReadOnlyStringWrapper("");

    public ServersViewModel(ApplianceSession session) {
        this.session = session;
        session.pools().addListener((ListChangeListener<Api.Pool>) change -> update());
        pool.addListener((o, was, now) -> {
            rowProblems.clear();
            previewResult.set("");
            update();
        });
        update();
    }

    /** True while the console's role may use this screen's {@code operator} commands. */
    public BooleanBinding mayEdit() {
        return session.allows(Role.OPERATOR);
    }

    private void update() {
        List<String> names = session.pools().stream().map(Api.Pool::name).toList();
        if (!poolNames.equals(names)) {
            poolNames.setAll(names);
        }
        if (pool.get() == null || !names.contains(pool.get())) {
            pool.set(names.isEmpty() ? null : names.getFirst());
            return; // the listener on pool calls back
        }
        Optional<Api.Pool> current = session.pools().stream().filter(p -> p.name().equals(pool.get())).findFirst();
        selected.set(current.orElse(null));
        servers.setAll(current.map(Api.Pool::servers).orElse(List.of()));
    }

    public StringProperty pool() {
        return pool;
    }

    public ObservableList<String> poolNames() {
        return poolNames;
    }

    public ReadOnlyObjectProperty<Api.Pool> selectedPool() {
        return selected.getReadOnlyProperty();
    }

    /** The selected pool's servers as last read. */
    public ObservableList<Api.Server> servers() {
        return servers;
    }

    /** Per server name: the error of the last command on that row. */
    public ObservableMap<String, String> rowProblems() {
        return rowProblems;
    }

    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty addProblem() {
        return addProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty probeResult() {
        return probeResult.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty previewResult() {
        return previewResult.getReadOnlyProperty();
    }

    /** Sets a server's weight from what the operator typed. */
    public void setWeight(String server, String typed) {
        int weight;
        try {
            weight = Integer.parseInt(typed.strip());
        } catch (NumberFormatException e) {
            rowProblems.put(server, "weight: " + typed.strip() + " (expected: 0-65535)");
            return;
        }
        change(server, Map.of("weight", weight), "weight " + weight);
    }

    /** Sets a server's max_connections (0 = no limit) from the typed text. */
    public void setMaxConnections(String server, String typed) {
        int max;
        try {
            max = Integer.parseInt(typed.strip());
        } catch (NumberFormatException e) {
            rowProblems.put(server, "max_connections: " + typed.strip() + " (expected: 0-10000000)");
            return;
        }
        change(server, Map.of("max_connections", max), "max_connections " + max);
    }

    public void setState(String server, String state) {
        change(server, Map.of("state", state), "state " + state);
    }

    private void change(String server, Map<String, Object> change, String what) {
        String poolName = pool.get();
        rowProblems.remove(server);
        message.set(poolName + "/" + server + ": setting " + what + "…");
        Fx.then(session.client().updateServer(poolName, server, change), result -> {
            message.set(poolName + "/" + server + ": " + what + " applied (config version " + result.configVersion() + ")");
            session.written(result);
        }, failure -> {
            rowProblems.put(server, Fx.brief(failure));
            message.set(poolName + "/" + server + ": " + what + " refused: " + Fx.brief(failure));
            session.refreshPools();
        });
    }

    public void remove(String server) {
        String poolName = pool.get();
        rowProblems.remove(server);
        Fx.then(session.client().removeServer(poolName, server), result -> {
            message.set(poolName + "/" + server + ": removed (config version " + result.configVersion() + ")");
            session.written(result);
        }, failure -> rowProblems.put(server, Fx.brief(failure)));
    }

    /** A one-off TCP connect from the appliance to {@code addr}. */
    public void probe(String addr) {
        probeResult.set("probing " + addr.strip() + "…");
        Fx.then(session.client().probe(addr.strip()), p -> probeResult.set(p.reachable()
                ? p.addr() + " reachable in " + String.format("%.1f ms", p.latencyMs() == null ? 0 : p.latencyMs())
                : p.addr() + " unreachable: " + p.error()), failure -> probeResult.set(Fx.describe(failure)));
    }

    public void add(String name, String addr, String weightText) {
        int weight;
        try {
            weight = weightText.isBlank() ? 1 : Integer.parseInt(weightText.strip());
        } catch (NumberFormatException e) {
            addProblem.set("weight: " + weightText.strip() + " (expected: 0-65535)");
            return;
        }
        String poolName = pool.get();
        addProblem.set("");
        Fx.then(session.client().addServer(poolName, name.strip(), addr.strip(), weight), result -> {
            message.set(poolName + "/" + name.strip() + ": added (config version " + result.configVersion() + ")");
            session.written(result);
        }, failure -> addProblem.set(Fx.describe(failure)));
    }

    /** What-if: the shares if {@code server} had this weight and state; nothing is applied. */
    public void preview(String server, String weightText, String state) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (!weightText.isBlank()) {
            try {
                weights.put(server, Integer.parseInt(weightText.strip()));
            } catch (NumberFormatException e) {
                previewResult.set("weight: " + weightText.strip() + " (expected: 0-65535)");
                return;
            }
        }
        Map<String, String> states = state == null ? Map.of() : Map.of(server, state);
        Fx.then(session.client().preview(pool.get(), weights, states), p -> previewResult.set(describe(p)),
                failure -> previewResult.set(Fx.describe(failure)));
    }

    private String describe(Api.Preview preview) {
        StringBuilder text = new StringBuilder();
        for (Api.Server s : servers) {
            double after = preview.shares().getOrDefault(s.name(), 0.0);
            text.append(s.name()).append(": ").append(Format.percent(s.expectedShare())).append(" → ")
                    .append(Format.percent(after)).append('\n');
        }
        if (preview.movedFraction() != null) {
            text.append("flows that would change server: ").append(Format.percent(preview.movedFraction()));
        }
        return text.toString().strip();
    }
}
