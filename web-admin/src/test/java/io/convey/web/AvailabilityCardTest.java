package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * An appliance in a VRRP pair: the overview's availability card shows the state keepalived writes to the notify
 * FIFO as it changes, and an operator's maintenance switch puts the appliance in maintenance and back, as the API's
 * status agrees; a viewer has no switch.
 */
class AvailabilityCardTest extends DashboardScenario {
    private static final String PASSWORD = "correct horse battery";

    private Path fifo() {
        return dir.resolve("vrrp.fifo");
    }

    @Override
    String moreSections() {
        return """

                [vrrp]
                interface = "lo"
                virtual_router_id = 51
                priority = 150
                notify_fifo = "%s"
                """.formatted(fifo());
    }

    @Override
    boolean signedInAtStart() {
        return false;
    }

    /** Writes one state line as keepalived does to its vrrp_notify_fifo. */
    private void keepalivedNotifies(String state) throws IOException {
        // the daemon holds the FIFO open, so opening it for writing does not wait for a reader
        Files.writeString(fifo(), "INSTANCE \"convey_51\" " + state + " 150\n", StandardCharsets.US_ASCII,
                StandardOpenOption.WRITE);
    }

    private JsonNode announce() throws IOException {
        return new ApplianceApi(appliance).admin("GET", "/api/v1/status", null).get("announce");
    }

    @Test
    void operatorSeesVrrpStateChangesAndPutsTheApplianceInMaintenance() throws Exception {
        ApplianceApi api = new ApplianceApi(appliance);
        api.createUser("otto", "operator", PASSWORD);
        browser.open(url() + "#overview");
        signIn("otto", PASSWORD);
        browser.awaitText("#ov-vrrp", "UNKNOWN");
        browser.awaitText("#ov-maintenance", "IN SERVICE");
        // the test's frontend listens on loopback, which is never announced: the card says so
        browser.awaitText("#ov-no-vip", "No VIP");

        keepalivedNotifies("MASTER");
        browser.awaitExactText("#ov-vrrp", "MASTER");
        assertThat(announce().at("/vrrp/state").asText()).isEqualTo("MASTER");
        keepalivedNotifies("BACKUP");
        browser.awaitExactText("#ov-vrrp", "BACKUP");
        assertThat(announce().at("/vrrp/state").asText()).isEqualTo("BACKUP");
        browser.screenshot("availability-backup");

        browser.find("#ov-maintenance-toggle").click();
        browser.awaitText("#ov-maintenance", "MAINTENANCE");
        assertThat(browser.find("#ov-maintenance-toggle").getText()).isEqualTo("End maintenance");
        assertThat(announce().get("maintenance").asBoolean()).isTrue();
        browser.screenshot("availability-maintenance");

        browser.find("#ov-maintenance-toggle").click();
        browser.awaitText("#ov-maintenance", "IN SERVICE");
        assertThat(announce().get("maintenance").asBoolean()).isFalse();
    }

    @Test
    void viewerSeesTheStateButNoMaintenanceSwitch() throws Exception {
        new ApplianceApi(appliance).createUser("vera", "viewer", PASSWORD);
        browser.open(url() + "#overview");
        signIn("vera", PASSWORD);
        browser.awaitText("#ov-maintenance", "IN SERVICE");
        keepalivedNotifies("MASTER");
        browser.awaitExactText("#ov-vrrp", "MASTER");
        assertThat(browser.all("#ov-maintenance-toggle")).isEmpty();
    }

    /**
     * A BGP appliance's card (VIP rows and sessions), rendered by the dashboard's own module in Chromium from the
     * announce section docs/api.md describes: this test's appliance listens on loopback, which is never a VIP.
     */
    @Test
    void aWithdrawnVipShowsItsReasonAndTheBgpSessionsTheirState() throws Exception {
        browser.open(url() + "#overview");
        signIn("admin", appliance.adminPassword());
        browser.find("#ov-availability");
        Map<String, Object> announce = Map.of("maintenance", true, "method", "bgp",
                "vips", List.of(
                        Map.of("vip", "10.0.0.100", "frontends", List.of("web"), "state", "withdrawn",
                                "reason", "maintenance", "reason_text", "maintenance"),
                        Map.of("vip", "10.0.0.101", "frontends", List.of("api"), "state", "announced",
                                "reason", "eligible_server", "reason_text", "an eligible server")),
                "bgp", Map.of("state", "up", "sessions", List.of(Map.of("name", "router", "protocol", "BGP",
                        "state", "up", "since", "12:00:01", "info", "Established"))));
        browser.asyncScript("""
                const [announce, done] = arguments;
                import('./overview.js').then((m) => {
                  const holder = document.createElement('div');
                  holder.id = 'bgp-card';
                  holder.append(m.availabilityCard(announce));
                  document.body.append(holder);
                  done();
                });
                """, announce);
        WebElement card = browser.find("#bgp-card #ov-availability");
        WebElement withdrawn = card.findElement(By.cssSelector("tr[data-vip='10.0.0.100']"));
        assertThat(withdrawn.findElement(By.cssSelector(".state")).getText()).isEqualTo("WITHDRAWN");
        assertThat(withdrawn.findElement(By.cssSelector(".reason")).getAttribute("data-reason")).isEqualTo("maintenance");
        assertThat(card.findElement(By.cssSelector("tr[data-vip='10.0.0.101'] .state")).getText()).isEqualTo("ANNOUNCED");
        assertThat(card.findElement(By.cssSelector("tr[data-session='router'] .state")).getText()).isEqualTo("up");
        assertThat(card.findElement(By.cssSelector("#ov-maintenance")).getText()).isEqualTo("MAINTENANCE");
        assertThat(card.findElement(By.cssSelector("#ov-vrrp")).getText()).isEqualTo("not configured");
        assertThat(card.findElement(By.cssSelector("#ov-maintenance-toggle")).getText()).isEqualTo("End maintenance");
    }
}
