package io.convey.console;

import io.convey.console.access.AccessView;
import io.convey.console.access.AccessViewModel;
import io.convey.console.appliance.ApplianceSession;
import io.convey.console.editor.ConfigEditorView;
import io.convey.console.editor.ConfigEditorViewModel;
import io.convey.console.editor.ConfigFormModel;
import io.convey.console.fleet.FleetView;
import io.convey.console.fleet.FleetViewModel;
import io.convey.console.frontends.FrontendsView;
import io.convey.console.frontends.FrontendsViewModel;
import io.convey.console.history.HistoryView;
import io.convey.console.history.HistoryViewModel;
import io.convey.console.overview.OverviewView;
import io.convey.console.pools.PoolsView;
import io.convey.console.pools.PoolsViewModel;
import io.convey.console.servers.ServersView;
import io.convey.console.servers.ServersViewModel;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Everything about one open appliance: overview, servers, pools, frontends, config history, the config file, users
 * and tokens; who the console is logged in as, and a login form when the appliance refuses its token.
 */
public final class ApplianceView extends BorderPane {
    private final ApplianceSession session;
    private final ServersView servers;
    private final HistoryViewModel history;
    private final ConfigEditorViewModel configEditor;
    private final AccessViewModel access;
    private final FleetViewModel fleet;
    private final TabPane screens;

    public ApplianceView(ApplianceSession session) {
        this.session = session;
        this.servers = new ServersView(new ServersViewModel(session));
        this.history = new HistoryViewModel(session);
        this.configEditor = new ConfigEditorViewModel(session);
        this.access = new AccessViewModel(session);
        this.fleet = new FleetViewModel(session);

        Label address = new Label(session.appliance().name() + "  ·  " + session.appliance().url());
        address.getStyleClass().add("section-title");
        Label error = new Label();
        error.setId("sessionError");
        error.getStyleClass().add("error");
        error.textProperty().bind(Bindings.createStringBinding(
                () -> session.error().get().isEmpty() ? "" : "cannot read the appliance: " + session.error().get(),
                session.error()));
        error.setWrapText(true);
        Label who = new Label();
        who.setId("sessionUser");
        who.getStyleClass().add("role");
        who.textProperty().bind(Bindings.createStringBinding(() -> session.role().get() == null ? ""
                : session.user().get() + " · " + session.role().get().word(), session.role(), session.user()));
        address.setMinWidth(Region.USE_PREF_SIZE);
        who.setMinWidth(Region.USE_PREF_SIZE);
        HBox header = new HBox(16, address, who, error);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 10, 4, 10));

        screens = new TabPane(tab("Overview", new OverviewView(session)), tab("Servers", servers),
                tab("Pools", new PoolsView(new PoolsViewModel(session))),
                tab("Frontends", new FrontendsView(new FrontendsViewModel(session))), tab("History", new HistoryView(history)),
                tab("Config file", new ConfigEditorView(configEditor, new ConfigFormModel(configEditor))),
                tab("Fleet", new FleetView(fleet)), tab("Access", new AccessView(access)));
        Tab fleetTab = screens.getTabs().get(screens.getTabs().size() - 2);
        fleetTab.selectedProperty().addListener((o, was, now) -> fleet.shown(now)); // polls only while shown
        screens.setId("screens");
        screens.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setTop(new VBox(header, new LoginPrompt(session)));
        setCenter(screens);
    }

    private static Tab tab(String title, javafx.scene.Node content) {
        Tab tab = new Tab(title, content);
        tab.setId("tab-" + title.toLowerCase().replace(' ', '-'));
        return tab;
    }

    public ApplianceSession session() {
        return session;
    }

    /** The config file screen's view-model: open a file from disk, validate, push. */
    public ConfigEditorViewModel configEditor() {
        return configEditor;
    }

    /** F5 / Ctrl+R. */
    public void refresh() {
        session.refresh();
        history.refresh();
        access.refresh();
    }

    /** Ctrl+F: the servers screen and its filter. */
    public void search() {
        screens.getSelectionModel().select(1);
        servers.focusFilter();
    }

    public void select(String screenTitle) {
        screens.getTabs().stream().filter(t -> t.getText().equals(screenTitle)).findFirst()
                .ifPresent(t -> screens.getSelectionModel().select(t));
    }
}
