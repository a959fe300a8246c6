package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

class AddServerProbeTest extends DashboardScenario {

    private void fillAddForm(String name, String addr) {
        WebElement form = browser.find("section.pool[data-pool='app'] form.add-server");
        form.findElement(org.openqa.selenium.By.name("name")).sendKeys(name);
        WebElement address = form.findElement(org.openqa.selenium.By.name("addr"));
        Browser.replaceText(address, addr);
        form.findElement(org.openqa.selenium.By.name("probe-add")).click();
    }

    @Test
    void aServerThatDoesNotAnswerTheProbeIsNotAddedAndTheErrorShowsBesideTheAddress() throws Exception {
        open("pools");
        String closed = "127.0.0.1:" + Tcp.freePort();
        fillAddForm("c", closed);

        WebElement error = browser.find("form.add-server input[name='addr'] + .field-error");
        assertThat(error.getText()).startsWith("not reachable from the appliance:");
        assertThat(browser.find("form.add-server .probe-result").getText()).contains("UNREACHABLE").contains(closed);
        browser.screenshot("pools-add-server-probe-failed");
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(originalConfig));
        assertThat(browser.all("tr[data-server='c']")).isEmpty();
    }

    @Test
    void aReachableServerIsProbedThenAddedToTheFileAndTheTable() throws Exception {
        try (NamedServer c = new NamedServer("c")) {
            open("pools");
            fillAddForm("c", c.addr());
            browser.awaitText("form.add-server .probe-result", "Added c");
            browser.awaitText("tr[data-server='c'] .name", "c");
            await().atMost(Duration.ofSeconds(5)).until(() -> appliance.configText().contains(c.addr()));
            // the file is written back just after the change is applied (and shown)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).contains("[backends.app.servers.c]"));
        }
    }

    @Test
    void anInvalidWeightIsShownBesideTheWeightField() throws Exception {
        open("pools");
        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        Browser.replaceText(weight, "70000");
        WebElement error = browser.find("tr[data-server='a'] input.weight + .field-error");
        assertThat(error.getText()).contains("70000").contains("expected");
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(originalConfig));
    }
}
