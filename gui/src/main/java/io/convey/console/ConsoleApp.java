package io.convey.console;

import io.convey.console.appliances.AppliancesViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/** The JavaFX application: one main window over the appliances remembered in the user's configuration. */
public final class ConsoleApp extends Application {
    @Override
    public void start(Stage stage) {
        new MainWindow(AppliancesViewModel.inUserConfig()).show(stage);
        stage.setOnCloseRequest(e -> Platform.exit());
    }
}
