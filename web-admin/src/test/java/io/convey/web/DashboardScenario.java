package io.convey.web;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A running appliance in its default admin setup (HTTPS with the certificate it generated, the first-start admin
 * user) with two loopback servers (a, b) in pool "app" behind frontend "web", and a browser that trusts that
 * certificate and has signed in as admin through the login page.
 */
abstract class DashboardScenario {
    @TempDir
    Path dir;
    NamedServer a;
    NamedServer b;
    RunningDaemon appliance;
    Browser browser;
    String originalConfig;

    /** One frontend "web" on a free loopback port, pool "app" (round robin) with the given servers at weight 1. */
    static String twoServerConfig(NamedServer a, NamedServer b) throws IOException {
        return """
                # the test appliance
                [frontends.web]
                listen_addr = "127.0.0.1:%d"
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
                """.formatted(Tcp.freePort(), a.addr(), b.addr());
    }

    /** Lines added to the [admin] table of the test's config (none by default). */
    String adminSettings() {
        return "";
    }

    /** Tables appended to the test's config after [admin] (none by default). */
    String moreSections() {
        return "";
    }

    /** Whether the browser signs in as admin before the test starts. */
    boolean signedInAtStart() {
        return true;
    }

    @BeforeEach
    void startAppliance() throws Exception {
        a = new NamedServer("a");
        b = new NamedServer("b");
        originalConfig = twoServerConfig(a, b) + adminSettings() + moreSections();
        appliance = RunningDaemon.start(dir, originalConfig);
        browser = new Browser(appliance.spkiSha256Base64());
        if (signedInAtStart()) {
            browser.open(url());
            signIn("admin", appliance.adminPassword());
        }
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

    /** Opens a view of the dashboard (overview, charts, pools, frontends, health, history, account). */
    void open(String view) {
        browser.open(url() + "#" + view);
        browser.find("#view-" + view);
    }

    /** Signs in on the login page the dashboard shows, as an operator does, and waits until the header names the user. */
    void signIn(String user, String password) {
        WebElement form = browser.find("#login-form");
        WebElement name = form.findElement(By.name("user"));
        Browser.replaceText(name, user);
        form.findElement(By.name("password")).sendKeys(password);
        form.findElement(By.cssSelector("button.primary")).click();
        browser.await(() -> "signed in as " + user, d -> !browser.find("#user-name").getText().isEmpty()
                && browser.find("#user-name").getText().equals(user) && !d.findElement(By.id("login")).isDisplayed());
    }

    /** Waits for the login page (the session ended or there was none). */
    void awaitLoginPage() {
        browser.find("#login-form");
    }
}
