package io.convey.console.history;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.client.Api;
import io.convey.console.client.Role;
import io.convey.console.fx.Fx;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The appliance's config history: versions, the text and diff of one, and rollback. FX thread only. */
public final class HistoryViewModel {
    private final ApplianceSession session;
    private final ObservableList<Api.HistoryEntry> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper diff = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    public HistoryViewModel(ApplianceSession session) {
        this.session = session;
        session.configVersion().addListener((o, was, now) -> refresh());
    }

    /** True while the console's role may use this screen's {@code admin} commands. */
    public BooleanBinding mayEdit() {
        return session.allows(Role.ADMIN);
    }

    /** Newest first. */
    public ObservableList<Api.HistoryEntry> entries() {
        return entries;
    }

    /** The selected version's TOML. */
    public ReadOnlyStringProperty text() {
        return text.getReadOnlyProperty();
    }

    /** Unified diff from the selected version to the newest one. */
    public ReadOnlyStringProperty diff() {
        return diff.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty message() {
        return message.getReadOnlyProperty();
    }

    public void refresh() {
        Fx.then(session.client().history(), entries::setAll, failure -> message.set(Fx.describe(failure)));
    }

    public void select(Api.HistoryEntry entry) {
        if (entry == null) {
            text.set("");
            diff.set("");
            return;
        }
        Fx.then(session.client().historyText(entry.id()), text::set, failure -> text.set(Fx.describe(failure)));
        long newest = entries.isEmpty() ? entry.id() : entries.getFirst().id();
        if (newest == entry.id()) {
            diff.set("(this is the running version)");
        } else {
            Fx.then(session.client().diff(entry.id(), newest), diff::set, failure -> diff.set(Fx.describe(failure)));
        }
    }

    public void rollback(Api.HistoryEntry entry) {
        message.set("rolling back to version " + entry.configVersion() + "…");
        Fx.then(session.client().rollback(entry.id()), result -> {
            message.set("rolled back to version " + entry.configVersion() + ": now config version "
                    + result.configVersion());
            session.written(result);
        }, failure -> message.set("rollback refused: " + Fx.describe(failure)));
    }
}
