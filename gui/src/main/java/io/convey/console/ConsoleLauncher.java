package io.convey.console;

import javafx.application.Application;

/**
 * The console's entry point. A plain class, not the {@link Application} subclass: JavaFX refuses to start an
 * Application main class from the classpath.
 */
public final class ConsoleLauncher {
    private ConsoleLauncher() {
    }

    public static void main(String[] args) {
        // AWT only draws the charts off-screen; it must never try to open a display of its own.
        System.setProperty("java.awt.headless", "true");
        Application.launch(ConsoleApp.class, args);
    }
}
