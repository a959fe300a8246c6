package io.convey.console;

import io.convey.console.appliances.AppliancesViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The JavaFX application: one main window over the appliances remembered in the user's configuration, opening the one
 * {@code --appliance} names (the launcher has checked the arguments).
 */
public final class ConsoleApp extends Application {
    @Override
    public void start(Stage stage) {
        MainWindow window = new MainWindow(AppliancesViewModel.inUserConfig());
        window.show(stage);
        stage.setOnCloseRequest(e -> Platform.exit());
        ConsoleOptions.parse(getParameters().getRaw()).appliance().ifPresent(window::openAddress);
    }
}
