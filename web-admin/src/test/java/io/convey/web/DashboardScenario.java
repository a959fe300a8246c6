package io.convey.web;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A running appliance with two loopback servers (a, b) in pool "app" behind frontend "web", and a browser. */
abstract class DashboardScenario {
    @TempDir
    Path dir;
    NamedServer a;
    NamedServer b;
    Appliance appliance;
    Browser browser;
    String originalConfig;

    @BeforeEach
    void startAppliance() throws Exception {
        a = new NamedServer("a");
        b = new NamedServer("b");
        originalConfig = Appliance.twoServerConfig(a, b);
        appliance = Appliance.start(dir, originalConfig);
        browser = new Browser();
    }

    @AfterEach
    void stopAll() throws Exception {
        try (NamedServer x = a; NamedServer y = b; Appliance app = appliance; Browser br = browser) {
            // closed in reverse order, also when a test fails
        }
    }

    /** Opens a view of the dashboard (overview, charts, pools, frontends, health, history). */
    void open(String view) {
        browser.open(appliance.url() + "#" + view);
        browser.find("#view-" + view);
    }
}
