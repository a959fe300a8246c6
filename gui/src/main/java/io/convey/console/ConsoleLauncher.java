package io.convey.console;

import java.util.List;
import javafx.application.Application;

/**
 * The console's entry point. A plain class, not the {@link Application} subclass: JavaFX refuses to start an
 * Application main class from the classpath. Bad arguments are one line and exit code 2, before any window opens.
 */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    public static void main(String[] args) {
        ConsoleOptions options;
        try {
            options = ConsoleOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("convey-console: " + e.getMessage());
            System.err.println(ConsoleOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(ConsoleOptions.USAGE);
            return;
        }
        // AWT only draws the charts off-screen; it must never try to open a display of its own.
        System.setProperty("java.awt.headless", "true");
        Application.launch(ConsoleApp.class, args);
    }
}
