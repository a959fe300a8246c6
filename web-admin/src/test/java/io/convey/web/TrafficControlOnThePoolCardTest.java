package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The pool card's traffic panel: an admin sets connection limits and the queue on the page, the file gets them, a
 * client waits in the queue and the card shows it waiting and its peak; a re-enabled server shows its slow start. An
 * admin turns half-close off there, and the file, the API and the card say so.
 */
class TrafficControlOnThePoolCardTest extends DashboardScenario {

    private Socket client() throws Exception {
        Socket socket = new Socket();
        socket.connect(appliance.frontend("web"), 5000);
        return socket;
    }

    private static String greeting(Socket socket) throws Exception {
        socket.setSoTimeout(20_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** The [backends.app] table of the file: its header up to the next table. */
    private static String appTable(String toml) {
        String table = toml.substring(toml.indexOf("[backends.app]\n"));
        return table.substring(0, table.indexOf("\n[", 1));
    }

    @Test
    void limitsSetOnTheCardQueueAClientAndTheCardShowsTheQueue() throws Exception {
        open("pools");
        String card = "section.pool[data-pool='app']";
        browser.find(card + " button[name='traffic-edit']").click();
        WebElement form = browser.find(card + " form.traffic-settings");
        Browser.replaceText(form, "queue_size", "5");
        Browser.replaceText(form, "slow_start_s", "30");
        Browser.replaceText(form, "max-a", "1");
        Browser.replaceText(form, "max-b", "1");
        form.findElement(By.name("traffic-save")).click();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .contains("queue_size = 5").contains("slow_start_s = 30").contains("max_connections = 1")
                .doesNotContain("half_close"));
        browser.awaitText(card + " tr[data-server='a'] td.limit", "0 / 1");

        try (Socket one = client(); Socket two = client()) {
            assertThat(greeting(one)).isIn("a", "b");
            assertThat(greeting(two)).isIn("a", "b");
            try (Socket three = client()) {
                browser.awaitText(card + " .queue", "Queue 1 waiting (peak 1, size 5");
                browser.awaitText(card + " tr[data-server='a'] td.limit", "1 / 1");
                browser.screenshot("pool-queue");
                one.close();
                assertThat(greeting(three)).isIn("a", "b");
                browser.awaitText(card + " .queue", "Queue 0 waiting (peak 1");
                browser.awaitText(card + " .queue-totals", "served 1");
            }
        }

        // b comes back from disabled: it ramps up over slow_start_s, and its row says so
        for (String state : new String[] {"disabled", "enabled"}) {
            assertThat(appliance.send("PATCH", "/api/v1/backends/app/servers/b", appliance.token(),
                    "{\"state\": \"" + state + "\"}", "Content-Type", "application/json").statusCode()).isEqualTo(200);
        }
        browser.awaitText(card + " tr[data-server='b'] td.limit .ramp", "slow start");
        browser.awaitText(card + " tr[data-server='b'] td.limit .ramp", "effective weight");
        browser.screenshot("pool-slow-start");
    }

    @Test
    void halfCloseTurnedOffOnTheCardReachesTheFileAndTheApi() throws Exception {
        open("pools");
        String card = "section.pool[data-pool='app']";
        browser.awaitText(card + " .traffic-keys", "half-close on");
        browser.find(card + " button[name='traffic-edit']").click();
        WebElement form = browser.find(card + " form.traffic-settings");
        WebElement halfClose = form.findElement(By.name("half_close"));
        assertThat(halfClose.isSelected()).isTrue();
        assertThat(halfClose.getAttribute("title")).contains("first FIN");
        halfClose.click();
        form.findElement(By.name("traffic-save")).click();

        browser.awaitText(card + " .traffic-keys", "half-close off (first FIN closes both sides)");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appTable(appliance.configText()))
                .contains("half_close = false"));
        JsonNode pool = new ApplianceApi(appliance).admin("GET", "/api/v1/backends/app", null);
        assertThat(pool.path("half_close")).isEqualTo(BooleanNode.FALSE);
        browser.screenshot("pool-half-close-off");
    }
}
