package io.convey.console;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.appliances.Appliance;
import io.convey.console.appliances.AppliancesView;
import io.convey.console.appliances.AppliancesViewModel;
import io.convey.console.fx.Banner;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The console's window: appliances on the left, one tab per open appliance, notifications on top; an appliance
 * can also get a window of its own ({@link ApplianceWindow}). Streams and polling run only while their window is
 * showing and not minimised; closing this window closes the appliance windows too.
 */
public final class MainWindow extends BorderPane {
    private final AppliancesViewModel appliances;
    private final TabPane tabs = new TabPane();
    private final Banner banner = new Banner();
    private final AppliancesView list;
    private final ObservableList<ApplianceWindow> windows = FXCollections.observableArrayList();
    private final ObservableList<ApplianceWindow> windowsView = FXCollections.unmodifiableObservableList(windows);
    private BooleanBinding active;
    private boolean closed;

    public MainWindow(AppliancesViewModel appliances) {
        this.appliances = appliances;
        setId("main");
        tabs.setId("applianceTabs");
        Label empty = new Label("Open an appliance from the list (double-click or Open).");
        empty.getStyleClass().add("hint");
        BorderPane center = new BorderPane(tabs);
        center.centerProperty().bind(Bindings.when(Bindings.isEmpty(tabs.getTabs())).then((javafx.scene.Node) empty)
                .otherwise(tabs));
        list = new AppliancesView(appliances, entry -> open(entry.appliance()), entry -> openInWindow(entry.appliance()));
        SplitPane split = new SplitPane(list, center);
        split.setDividerPositions(0.19);
        SplitPane.setResizableWithParent(split.getItems().getFirst(), false);
        setTop(banner);
        setCenter(split);
        appliances.load();
    }

    /** Shows the window on {@code stage} and ties streams to its visibility. */
    public Scene show(Stage stage) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(this, Math.min(1280, screen.getWidth()), Math.min(820, screen.getHeight()));
        scene.getStylesheets().add(MainWindow.class.getResource("console.css").toExternalForm());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), this::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), this::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN),
                () -> current().ifPresent(ApplianceView::search));
        stage.setTitle("Convey console");
        stage.setScene(scene);
        active = Bindings.createBooleanBinding(() -> stage.isShowing() && !stage.isIconified(), stage.showingProperty(),
                stage.iconifiedProperty());
        active.addListener((o, was, now) -> setActive(now));
        stage.setOnHidden(e -> close());
        stage.show();
        setActive(active.get());
        return scene;
    }

    private void setActive(boolean on) {
        if (closed) {
            return; // the stage may outlive this window (a new scene on the same stage)
        }
        appliances.setPolling(on);
        tabs.getTabs().forEach(t -> ((ApplianceView) t.getContent()).session().setStreaming(on));
    }

    /** Opens (or brings forward) the tab of an appliance. */
    public ApplianceView open(Appliance appliance) {
        for (Tab tab : tabs.getTabs()) {
            ApplianceView view = (ApplianceView) tab.getContent();
            if (view.session().appliance().equals(appliance)) {
                tabs.getSelectionModel().select(tab);
                return view;
            }
        }
        ApplianceSession session = new ApplianceSession(appliance, appliances.tokens(), banner::notify);
        ApplianceView view = new ApplianceView(session);
        Tab tab = new Tab(appliance.name(), view);
        tab.setOnClosed(e -> session.close());
        MenuItem detach = new MenuItem("Open in new window");
        detach.setOnAction(e -> openInWindow(appliance));
        tab.setContextMenu(new ContextMenu(detach));
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        view.refresh();
        session.setStreaming(active == null || active.get());
        return view;
    }

    /**
     * Opens the appliance at {@code address} ({@code --appliance}): its tab when the console knows it, else the add form
     * filled with the address, for a login (and, on first use, a look at its certificate's fingerprint).
     */
    public void openAddress(String address) {
        java.net.URI url;
        try {
            url = Appliance.parse(null, address, null).url();
        } catch (IllegalArgumentException e) {
            banner.notify("--appliance " + e.getMessage());
            return;
        }
        appliances.entries().stream().filter(e -> e.appliance().url().equals(url)).findFirst()
                .ifPresentOrElse(e -> open(e.appliance()), () -> {
                    list.prefill(address);
                    banner.notify(url + " is not known to this console yet: log in below to open it.");
                });
    }

    /** Opens an appliance in a window of its own (another one each time), e.g. to watch two side by side. */
    public ApplianceWindow openInWindow(Appliance appliance) {
        ApplianceWindow[] opened = new ApplianceWindow[1];
        opened[0] = ApplianceWindow.open(appliance, appliances.tokens(), () -> windows.remove(opened[0]));
        windows.add(opened[0]);
        return opened[0];
    }

    /** The appliance windows open now. */
    public ObservableList<ApplianceWindow> windows() {
        return windowsView;
    }

    public Optional<ApplianceView> current() {
        return Optional.ofNullable(tabs.getSelectionModel().getSelectedItem()).map(t -> (ApplianceView) t.getContent());
    }

    public Banner banner() {
        return banner;
    }

    private void refresh() {
        appliances.pollAll();
        current().ifPresent(ApplianceView::refresh);
    }

    /** Stops every stream and the polling; the window is gone. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (active != null) {
            active.dispose();
        }
        tabs.getTabs().forEach(t -> ((ApplianceView) t.getContent()).session().close());
        List.copyOf(windows).forEach(ApplianceWindow::close);
        appliances.close();
    }
}
