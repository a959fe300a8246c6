package io.convey.console;

import io.convey.console.appliance.ApplianceSession;
import io.convey.console.appliances.Appliance;
import io.convey.console.appliances.TokenStore;
import io.convey.console.fx.Banner;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * One appliance in a window of its own, so that several appliances can be watched side by side. Its own
 * session streams only while this window is showing and not minimised, and stops for good once it is closed.
 */
public final class ApplianceWindow {
    private final Stage stage = new Stage();
    private final ApplianceView view;
    private final Banner banner = new Banner();
    private final BooleanBinding active;

    private ApplianceWindow(Appliance appliance, TokenStore tokens, Runnable onClosed) {
        ApplianceSession session = new ApplianceSession(appliance, tokens, banner::notify);
        view = new ApplianceView(session);
        BorderPane root = new BorderPane(view);
        root.setId("applianceWindow");
        root.setTop(banner);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1100, screen.getWidth()), Math.min(760, screen.getHeight()));
        scene.getStylesheets().add(ApplianceWindow.class.getResource("console.css").toExternalForm());
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), view::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), view::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), view::search);
        stage.setTitle(appliance.name() + " · Convey console");
        stage.setScene(scene);
        active = Bindings.createBooleanBinding(() -> stage.isShowing() && !stage.isIconified(), stage.showingProperty(),
                stage.iconifiedProperty());
        active.addListener((o, was, now) -> session.setStreaming(now));
        stage.setOnHidden(e -> {
            active.dispose();
            session.close();
            onClosed.run();
        });
    }

    /** Opens a new window on {@code appliance}; {@code onClosed} runs once it is closed. FX thread. */
    static ApplianceWindow open(Appliance appliance, TokenStore tokens, Runnable onClosed) {
        ApplianceWindow window = new ApplianceWindow(appliance, tokens, onClosed);
        window.stage.show();
        window.view.refresh();
        window.view.session().setStreaming(window.active.get());
        return window;
    }

    public ApplianceView view() {
        return view;
    }

    public Stage stage() {
        return stage;
    }

    public Banner banner() {
        return banner;
    }

    /** Closes the window; its streams stop. */
    public void close() {
        stage.close();
    }
}
