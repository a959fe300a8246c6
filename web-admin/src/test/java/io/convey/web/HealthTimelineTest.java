package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

class HealthTimelineTest extends DashboardScenario {

    @Test
    void aServerThatStopsAnsweringTurnsDownOnItsTimelineWithTheReason() throws Exception {
        open("health");
        browser.awaitText(".health-server[data-server='b'] .health-title", "UP");
        b.close();

        browser.awaitText(".health-server[data-server='b'] .health-title", "DOWN");
        // the views re-render on their timers: each read is awaited, so an element replaced meanwhile is read again
        browser.await(() -> "b's latest change: DOWN, refused", d -> {
            String latest = d.findElement(By.cssSelector(".health-server[data-server='b'] ul.changes li")).getText();
            return latest.contains("DOWN") && latest.toLowerCase(Locale.ROOT).contains("refused");
        });
        assertThat(browser.all(".health-server[data-server='b'] .segment-down")).isNotEmpty();
        browser.awaitText(".health-server[data-server='a'] .health-title", "UP");
        browser.screenshot("health");

        open("pools");
        browser.awaitText("tr[data-server='b'] .health", "DOWN");
        browser.await(() -> "b's last error: refused", d -> d.findElement(By.cssSelector("tr[data-server='b'] .health .last-error"))
                .getText().toLowerCase(Locale.ROOT).contains("refused"));
        browser.awaitExactText("tr[data-server='a'] .expected", "100%");
        open("charts");
        browser.awaitText("#chart-markers", "b (pool app)");
    }
}
