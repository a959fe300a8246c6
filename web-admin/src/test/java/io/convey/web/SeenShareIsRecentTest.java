package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.Tcp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "seen" share is over the last 60 seconds (labelled so), so a new split can be confirmed on the screen: traffic
 * from before the window no longer weighs on it, as it would in a share of every connection since the start.
 */
class SeenShareIsRecentTest extends DashboardScenario {

    @Test
    void theSeenShareForgetsConnectionsOlderThanAMinute() throws Exception {
        new ApplianceApi(appliance).admin("PATCH", "/api/v1/backends/app/servers/b", "{\"state\": \"disabled\"}");
        assertThat(Tcp.split(appliance.frontend("web"), 20)).isEqualTo(Map.of("a", 20));
        open("pools");
        assertThat(browser.find("table.servers thead").getText()).contains("seen in the last 60 s");
        browser.awaitText("tr[data-server='a'] .seen", "seen 100%");

        new ApplianceApi(appliance).admin("PATCH", "/api/v1/backends/app/servers/b", "{\"state\": \"enabled\"}");
        assertThat(Tcp.split(appliance.frontend("web"), 10)).isEqualTo(Map.of("a", 5, "b", 5));
        // all connections since the start would say a 83%; within the minute the older 20 are still counted
        browser.awaitText("tr[data-server='a'] .seen", "seen 83%");
        // once they are older than a minute, only the new split is seen. Pairs of connections keep coming meanwhile
        // (at most 2 per poll, 360 in all), so the new split stays in the window: the 10 alone would leave it a second
        // or two after the 20, and a page that skipped those seconds' samples would never show 50%.
        browser.await(Duration.ofSeconds(90), () -> "a seen 50%", d -> {
            try {
                assertThat(Tcp.split(appliance.frontend("web"), 2)).isEqualTo(Map.of("a", 1, "b", 1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return browser.find("tr[data-server='a'] .seen").getText().contains("seen 50%");
        });
        browser.awaitText("tr[data-server='b'] .seen", "seen 50%");
        browser.screenshot("pools-seen-recent");
    }
}
