package io.convey.console.editor;

import io.convey.console.client.Api;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * The config text as tables the operator edits: the servers of a pool (addr, weight, state, add, remove) and the
 * frontends. Each edit is a line edit of the shared text ({@link ConfigText}) followed by a validation by the
 * appliance, whose problems are shown on the rows they name. FX thread only.
 */
public final class ConfigFormModel {
    private final ConfigEditorViewModel editor;
    private final ObservableList<String> poolNames = FXCollections.observableArrayList();
    private final StringProperty pool = new SimpleStringProperty();
    private final ObservableList<ConfigText.ServerRow> servers = FXCollections.observableArrayList();
    private final ObservableList<ConfigText.FrontendRow> frontends = FXCollections.observableArrayList();
    private final ObservableMap<String, String> rowProblems = FXCollections.observableHashMap();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private ConfigText parsed = ConfigText.parse("");

    public ConfigFormModel(ConfigEditorViewModel editor) {
        this.editor = editor;
        editor.text().addListener((o, was, now) -> reparse());
        editor.problems().addListener((ListChangeListener<Api.Problem>) c -> showProblems());
        pool.addListener((o, was, now) -> showServers());
        reparse();
    }

    private void reparse() {
        parsed = ConfigText.parse(editor.text().get() == null ? "" : editor.text().get());
        List<String> errors = parsed.errors();
        message.set(errors.isEmpty() ? "" : "the text does not parse, fix it in the text view: " + String.join("; ", errors));
        if (!errors.isEmpty()) {
            return; // keep the last good tables while the operator types in the text view
        }
        List<String> names = parsed.pools();
        if (!poolNames.equals(names)) {
            poolNames.setAll(names);
        }
        if (pool.get() == null || !names.contains(pool.get())) {
            pool.set(names.isEmpty() ? null : names.getFirst());
        }
        showServers();
        List<ConfigText.FrontendRow> rows = parsed.frontends();
        if (!frontends.equals(rows)) {
            frontends.setAll(rows);
        }
    }

    private void showServers() {
        List<ConfigText.ServerRow> rows = pool.get() == null ? List.of() : parsed.servers(pool.get());
        if (!servers.equals(rows)) {
            servers.setAll(rows);
        }
    }

    /** Files the appliance's problems under the server ("pool/server") or frontend ("frontend") their path names. */
    private void showProblems() {
        rowProblems.clear();
        for (Api.Problem problem : editor.problems()) {
            List<String> path = problem.path() == null ? List.of() : List.of(problem.path().split("\\."));
            String row = path.size() >= 4 && path.get(0).equals("backends") && path.get(2).equals("servers")
                    ? path.get(1) + "/" + path.get(3)
                    : path.size() >= 2 && path.get(0).equals("frontends") ? path.get(1) : null;
            if (row != null) {
                // The row names the server: its field and the message say the rest (the line is in the list below).
                rowProblems.merge(row, path.getLast() + ": " + problem.message(), (a, b) -> a + "; " + b);
            }
        }
    }

    public ObservableList<String> poolNames() {
        return poolNames;
    }

    public StringProperty pool() {
        return pool;
    }

    public ObservableList<ConfigText.ServerRow> servers() {
        return servers;
    }

    public ObservableList<ConfigText.FrontendRow> frontends() {
        return frontends;
    }

    /** Problems by row: "pool/server" for servers, the name for frontends. */
    public ObservableMap<String, String> rowProblems() {
        return rowProblems;
    }

    /** Why the form cannot be used or an edit was refused; empty when all is well. */
    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    /** Sets a server's addr, weight or state from what the operator typed. */
    public void setServer(String server, String key, String typed) {
        String value = typed.strip();
        if (key.equals("weight")) {
            try {
                long weight = Long.parseLong(value);
                edit(() -> parsed.set(ConfigText.serverPath(pool.get(), server, key), weight));
            } catch (NumberFormatException e) {
                message.set("weight: " + value + " (expected: 0-65535)");
            }
            return;
        }
        edit(() -> parsed.set(ConfigText.serverPath(pool.get(), server, key), value));
    }

    public void setFrontend(String frontend, String key, String typed) {
        edit(() -> parsed.set(ConfigText.frontendPath(frontend, key), typed.strip()));
    }

    public void addServer(String name, String addr, String weightText) {
        long weight;
        try {
            weight = weightText.isBlank() ? 1 : Long.parseLong(weightText.strip());
        } catch (NumberFormatException e) {
            message.set("weight: " + weightText.strip() + " (expected: 0-65535)");
            return;
        }
        edit(() -> parsed.addServer(pool.get(), name.strip(), addr.strip(), weight));
    }

    public void removeServer(String name) {
        edit(() -> parsed.removeServer(pool.get(), name));
    }

    private void edit(Supplier<String> change) {
        if (!parsed.errors().isEmpty()) {
            return;
        }
        String next;
        try {
            next = change.get();
        } catch (IllegalArgumentException e) {
            message.set(e.getMessage());
            return;
        }
        message.set("");
        editor.text().set(next);
        editor.validate();
    }
}
