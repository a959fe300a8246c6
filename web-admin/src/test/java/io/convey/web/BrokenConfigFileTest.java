package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.Tcp;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

class BrokenConfigFileTest extends DashboardScenario {

    @Test
    void aBrokenConfigFileShowsItsProblemsOnTheOverviewWhileTheOldVersionKeepsRunning() throws Exception {
        open("overview");
        browser.awaitText("#ov-reload", "OK");
        browser.screenshot("overview");

        appliance.rewrite(originalConfig.replace("weight = 1\n\n[backends.app.servers.b]", "weight = \"heavy\"\n\n[backends.app.servers.b]"));

        WebElement problems = browser.awaitText("#notices #reload-problems", "backends.app.servers.a.weight");
        assertThat(problems.getText()).contains("rejected").contains("convey.toml:");
        assertThat(browser.find("#ov-reload").getText()).contains("REJECTED");
        // the page-wide notice is there on every view
        open("pools");
        assertThat(browser.find("#notices #reload-problems").getText()).contains("backends.app.servers.a.weight");
        open("overview");
        browser.awaitText("#ov-reload", "REJECTED");
        browser.screenshot("overview-broken-config");
        assertThat(Tcp.greeting(appliance.frontend("web"))).isIn("a", "b");
    }
}
