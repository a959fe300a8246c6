package io.convey.console.frontends;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.fx.FieldProblems;
import io.convey.console.fx.Fx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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
 * The frontends (listeners) and what the operator does to them: move one to another address or pool, remove it,
 * add one. FX thread only; problems are shown next to the field (or row) they concern.
 */
public final class FrontendsViewModel {
    private static final Set<String> FIELDS = Set.of("listen_addr", "backend", "protocol", "max_connections");
    /** The protocols a frontend may have, as the API writes them. */
    public static final List<String> PROTOCOLS = List.of("tcp", "udp");

    private final ApplianceSession session;
    private final ObservableList<String> poolNames = FXCollections.observableArrayList();
    private final StringProperty selected = new SimpleStringProperty();
    private final ReadOnlyObjectWrapper<Api.Frontend> selectedFrontend = new ReadOnlyObjectWrapper<>();
    private final StringProperty listenAddr = new SimpleStringProperty("");
    private final StringProperty backend = new SimpleStringProperty();
    private final StringProperty protocol = new SimpleStringProperty("tcp");
    private final StringProperty newProtocol = new SimpleStringProperty("tcp");
    private final StringProperty maxConnections = new SimpleStringProperty("");
    private final FieldProblems editProblems = new FieldProblems();
    private final ObservableMap<String, String> rowProblems = FXCollections.observableHashMap();
    private final StringProperty newName = new SimpleStringProperty("");
    private final StringProperty newListenAddr = new SimpleStringProperty("");
    private final StringProperty newBackend = new SimpleStringProperty();
    private final FieldProblems addProblems = new FieldProblems();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final PreambleViewModel preamble;

    public FrontendsViewModel(ApplianceSession session) {
        this.session = session;
        this.preamble = new PreambleViewModel(session, this::written);
        session.frontends().addListener((ListChangeListener<Api.Frontend>) c -> update());
        session.pools().addListener((ListChangeListener<Api.Pool>) c -> {
            List<String> names = session.pools().stream().map(Api.Pool::name).sorted().toList();
            if (!names.equals(poolNames)) {
                poolNames.setAll(names);
            }
        });
        selected.addListener((o, was, now) -> {
            editProblems.clear();
            update();
        });
    }

    /** True while the console's role may use this screen's {@code admin} commands. */
    public BooleanBinding mayEdit() {
        return session.allows(Role.ADMIN);
    }

    /** Follows re-reads; the form is filled only when another frontend is shown, so typing is never overwritten. */
    private void update() {
        Api.Frontend was = selectedFrontend.get();
        Api.Frontend now = session.frontends().stream().filter(f -> f.name().equals(selected.get())).findFirst()
                .orElse(null);
        selectedFrontend.set(now);
        if (now != null && (was == null || !was.name().equals(now.name()))) {
            listenAddr.set(now.listenAddr());
            backend.set(now.backend());
            protocol.set(now.protocol() == null ? "tcp" : now.protocol());
            maxConnections.set(String.valueOf(now.maxConnections()));
        }
        // Counters change with every read; the form follows only another frontend or changed settings (after a write).
        if (now == null || was == null || !was.name().equals(now.name()) || !PreambleViewModel.sameSettings(was, now)) {
            preamble.fill(now);
        }
    }

    /** The selected frontend's max_connections as typed (0 = no limit). */
    public StringProperty maxConnections() {
        return maxConnections;
    }

    public ObservableList<Api.Frontend> frontends() {
        return session.frontends();
    }

    /** The selected frontend's PROXY header and SNI settings. */
    public PreambleViewModel preamble() {
        return preamble;
    }

    public ObservableList<String> poolNames() {
        return poolNames;
    }

    public StringProperty selected() {
        return selected;
    }

    public ReadOnlyObjectProperty<Api.Frontend> selectedFrontend() {
        return selectedFrontend.getReadOnlyProperty();
    }

    public StringProperty listenAddr() {
        return listenAddr;
    }

    public StringProperty backend() {
        return backend;
    }

    public StringProperty protocol() {
        return protocol;
    }

    public StringProperty newProtocol() {
        return newProtocol;
    }

    public FieldProblems editProblems() {
        return editProblems;
    }

    /** Per frontend name: the error of the last command on that row. */
    public ObservableMap<String, String> rowProblems() {
        return rowProblems;
    }

    public StringProperty newName() {
        return newName;
    }

    public StringProperty newListenAddr() {
        return newListenAddr;
    }

    public StringProperty newBackend() {
        return newBackend;
    }

    public FieldProblems addProblems() {
        return addProblems;
    }

    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    /** Sends the selected frontend's changed address and pool. */
    public void apply() {
        Api.Frontend frontend = selectedFrontend.get();
        if (frontend == null) {
            return;
        }
        Map<String, Object> change = new LinkedHashMap<>();
        if (!listenAddr.get().strip().equals(frontend.listenAddr())) {
            change.put("listen_addr", listenAddr.get().strip());
        }
        if (backend.get() != null && !backend.get().equals(frontend.backend())) {
            change.put("backend", backend.get());
        }
        if (protocol.get() != null && !protocol.get().equals(frontend.protocol())) {
            change.put("protocol", protocol.get());
        }
        editProblems.clear();
        String typedMax = maxConnections.get() == null ? "" : maxConnections.get().strip();
        if (!typedMax.isEmpty() && !typedMax.equals(String.valueOf(frontend.maxConnections()))) {
            try {
                change.put("max_connections", Long.parseLong(typedMax));
            } catch (NumberFormatException e) {
                editProblems.put("max_connections", typedMax + " (expected: an integer)");
                return;
            }
        }
        rowProblems.remove(frontend.name());
        if (change.isEmpty()) {
            message.set("frontend " + frontend.name() + ": nothing changed");
            return;
        }
        Function<String, String> fieldOf = FieldProblems.lastSegment(FIELDS, "frontends." + frontend.name());
        Fx.then(session.client().updateFrontend(frontend.name(), change), this::written, failure -> {
            editProblems.show(failure, fieldOf);
            rowProblems.put(frontend.name(), Fx.brief(failure));
        });
    }

    /** Removes the selected frontend: it stops listening, established connections finish. */
    public void remove() {
        String name = selected.get();
        if (name == null) {
            return;
        }
        editProblems.clear();
        Fx.then(session.client().removeFrontend(name), result -> {
            selected.set(null);
            written(result);
        }, failure -> {
            editProblems.show(failure, path -> FieldProblems.FORM);
            rowProblems.put(name, Fx.brief(failure));
        });
    }

    public void add() {
        String name = newName.get().strip();
        addProblems.clear();
        if (newBackend.get() == null) {
            addProblems.put("backend", "missing (expected: a pool)");
            return;
        }
        Function<String, String> fieldOf = FieldProblems.lastSegment(FIELDS, "frontends." + name);
        Fx.then(session.client().addFrontend(name, newListenAddr.get().strip(), newBackend.get(),
                newProtocol.get() == null ? "tcp" : newProtocol.get()), result -> {
            newName.set("");
            newListenAddr.set("");
            newProtocol.set("tcp");
            written(result);
            selected.set(name);
        }, failure -> addProblems.show(failure, fieldOf));
    }

    /** The appliance this screen manages, for the traffic-control form beside the frontend's own. */
    ApplianceSession session() {
        return session;
    }

    void written(Api.WriteResult result) {
        message.set(result.summary() + " (config version " + result.configVersion() + ")");
        session.written(result);
    }
}
