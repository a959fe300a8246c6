package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

class HealthTimelineTest extends DashboardScenario {

    @Test
    void aServerThatStopsAnsweringTurnsDownOnItsTimelineWithTheReason() throws Exception {
        open("health");
        browser.awaitText(".health-server[data-server='b'] .health-title", "UP");
        b.close();

        WebElement server = browser.awaitText(".health-server[data-server='b'] .health-title", "DOWN");
        assertThat(server.getText()).contains("DOWN");
        WebElement latest = browser.find(".health-server[data-server='b'] ul.changes li");
        assertThat(latest.getText()).contains("DOWN").containsIgnoringCase("refused");
        assertThat(browser.all(".health-server[data-server='b'] .segment-down")).isNotEmpty();
        assertThat(browser.find(".health-server[data-server='a'] .health-title").getText()).contains("UP");
        browser.screenshot("health");

        open("pools");
        WebElement health = browser.awaitText("tr[data-server='b'] .health", "DOWN");
        assertThat(health.findElement(org.openqa.selenium.By.cssSelector(".last-error")).getText()).containsIgnoringCase("refused");
        browser.awaitExactText("tr[data-server='a'] .expected", "100%");
        open("charts");
        browser.awaitText("#chart-markers", "b (pool app)");
    }
}
