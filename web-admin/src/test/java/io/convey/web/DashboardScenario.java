package io.convey.web;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
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
    RunningDaemon appliance;
    Browser browser;
    String originalConfig;

    /** One frontend "web" on a free loopback port, pool "app" (round robin) with the given servers at weight 1. */
    static String twoServerConfig(NamedServer a, NamedServer b) {
        return """
                # the test appliance
                [frontends.web]
                listen_addr = "127.0.0.1:0"
                backend = "app"

                [backends.app]
                health_check_interval = 1

                [backends.app.servers.a]
                addr = "%s"
                weight = 1

                [backends.app.servers.b]
                addr = "%s"
                weight = 1

                [admin]
                listen_addr = "127.0.0.1:0"
                """.formatted(a.addr(), b.addr());
    }

    @BeforeEach
    void startAppliance() throws Exception {
        a = new NamedServer("a");
        b = new NamedServer("b");
        originalConfig = twoServerConfig(a, b);
        appliance = RunningDaemon.start(dir, originalConfig);
        browser = new Browser();
    }

    @AfterEach
    void stopAll() throws Exception {
        try (NamedServer x = a; NamedServer y = b; RunningDaemon app = appliance; Browser br = browser) {
            // closed in reverse order, also when a test fails
        }
    }

    /** The dashboard's address: the root of the appliance's admin server, with its trailing slash. */
    String url() {
        return appliance.adminUrl() + "/";
    }

    /** Opens a view of the dashboard (overview, charts, pools, frontends, health, history). */
    void open(String view) {
        browser.open(url() + "#" + view);
        browser.find("#view-" + view);
    }
}
