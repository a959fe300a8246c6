package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

class DataPlaneCardTest extends DashboardScenario {

    @Test
    void theOverviewShowsTheProxysTransport() throws Exception {
        // "auto" picks io_uring or epoll depending on the machine; the card shows what the API reports.
        String transport = appliance.getJson("/api/v1/status").path("data_plane").path("transport").asText();
        assertThat(transport).isIn("io_uring", "epoll", "nio");
        open("overview");
        assertThat(browser.awaitText("#ov-transport", transport).getText()).isEqualTo(transport);
        assertThat(browser.find("#ov-dp-connections").getText()).isEqualTo("0");
    }

    /**
     * The packet modes' card, rendered by the dashboard's own module in Chromium from the status a passthrough
     * appliance reports (its shape is asserted against a real daemon in core's packet-mode process test).
     */
    @Test
    void thePacketCardShowsCaptureFlowsLossesAndWorkers() throws Exception {
        open("overview");
        browser.find("#ov-transport");
        Map<String, Object> packet = Map.of("packet", Map.of(
                "interface", "eth1", "capture", "ring", "active_flows", 42, "sent_as_frames", 9000,
                "sent_routed", 12, "resets_sent", 3,
                "dropped", Map.of("capture_overflow", 17, "no_flow", 5, "malformed", 0),
                "workers", List.of(
                        Map.of("active_flows", 30, "connections_opened", 300, "packets_to_servers", 6000,
                                "packets_to_clients", 5000),
                        Map.of("active_flows", 12, "connections_opened", 120, "packets_to_servers", 2000,
                                "packets_to_clients", 1500))));
        ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const [details, done] = arguments;
                import('./overview.js').then((m) => {
                  const holder = document.createElement('div');
                  holder.id = 'packet-card';
                  holder.append(m.dataPlaneCard(details));
                  document.body.append(holder);
                  done();
                });
                """, packet);
        WebElement card = browser.find("#packet-card #ov-data-plane");
        assertThat(card.findElement(By.id("ov-capture")).getText()).isEqualTo("ring on eth1");
        assertThat(card.findElement(By.id("ov-flows")).getText()).isEqualTo("42");
        assertThat(card.findElement(By.id("ov-frames")).getText()).isEqualTo("9000");
        assertThat(card.findElement(By.id("ov-routed")).getText()).isEqualTo("12");
        // losses are marked, refused traffic is listed, zero counts are left out; the largest first
        List<WebElement> drops = card.findElements(By.cssSelector("#ov-drops .drop"));
        assertThat(drops).extracting(WebElement::getText).containsExactly("capture_overflow 17", "no_flow 5");
        assertThat(drops.get(0).findElements(By.cssSelector(".badge-failed"))).hasSize(1);
        assertThat(drops.get(1).findElements(By.cssSelector(".badge-failed"))).isEmpty();
        assertThat(card.findElements(By.cssSelector("#ov-workers tbody tr"))).extracting(WebElement::getText)
                .containsExactly("0 30 300 6000 5000", "1 12 120 2000 1500");
        browser.screenshot("overview-packet-card");
    }
}
