package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** What the dashboard tells an operator after each action and while the appliance changes under the page. */
class OperatorFeedbackTest extends DashboardScenario {

    private void typeWeight(String server, String value) {
        WebElement weight = browser.find("tr[data-server='" + server + "'] input.weight");
        weight.clear();
        weight.sendKeys(value);
    }

    @Test
    void anAppliedChangeSaysWhichVersionItBecame() throws Exception {
        open("pools");
        typeWeight("a", "3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        browser.find(".pending button.primary").click();
        browser.awaitText("#applied", "Applied as version 2");
        assertThat(browser.find("#applied").getText()).contains("weight 3");
        assertThat(appliance.version()).isEqualTo(2);
    }

    @Test
    void anInvalidWeightDisablesApplyUntilItIsFixed() throws Exception {
        open("pools");
        typeWeight("a", "70000");
        browser.awaitText("tr[data-server='a'] input.weight + .field-error", "70000");
        WebElement apply = browser.find(".pending button.primary");
        assertThat(apply.isEnabled()).isFalse();
        typeWeight("a", "3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        browser.await(() -> "Apply enabled", d -> browser.find(".pending button.primary").isEnabled());
        assertThat(browser.all("tr[data-server='a'] .field-error")).isEmpty();
    }

    @Test
    void probingEndsWhenTheAddressIsRefused() throws Exception {
        open("pools");
        WebElement form = browser.find("section.pool[data-pool='app'] form.add-server");
        form.findElement(By.name("name")).sendKeys("c");
        WebElement address = form.findElement(By.name("addr"));
        address.clear();
        address.sendKeys("not-an-address");
        form.findElement(By.name("probe-add")).click();
        browser.find("form.add-server input[name='addr'] + .field-error");
        browser.await(() -> "the probe line no longer says Probing…",
                d -> !browser.find("form.add-server").getText().contains("Probing"));
    }

    @Test
    void aFrontendEditCanBeCancelled() throws Exception {
        open("frontends");
        WebElement listen = browser.find("tr[data-frontend='web'] input");
        String running = listen.getDomProperty("value");
        listen.clear();
        listen.sendKeys("127.0.0.1:1");
        WebElement cancel = browser.find("tr[data-frontend='web'] button.cancel");
        assertThat(cancel.getText()).isEqualTo("Cancel");
        cancel.click();
        browser.await(() -> "the running address back", d -> running.equals(listen.getDomProperty("value")));
        assertThat(browser.all("tr[data-frontend='web'] button.primary").getFirst().isDisplayed()).isFalse();
        assertThat(cancel.isDisplayed()).isFalse();
        assertThat(appliance.version()).isEqualTo(1);
    }

    @Test
    void aServerGoingDownRaisesANoticeOnEveryViewUntilItIsBack() throws Exception {
        open("history");
        browser.awaitText("tr[data-version='1']", "startup");
        int port = Integer.parseInt(b.addr().substring(b.addr().lastIndexOf(':') + 1));
        b.close();
        WebElement notice = browser.awaitText(".notice-down[data-server='app/b']", "DOWN");
        assertThat(notice.getText()).contains("Server b (pool app").contains(b.addr());
        browser.screenshot("notice-server-down");
        b = new io.convey.testing.NamedServer("b", port);
        browser.await(Duration.ofSeconds(20), () -> "the notice gone once b is UP",
                d -> browser.all(".notice-down[data-server='app/b']").isEmpty());
    }

    @Test
    void thePreviewFollowsAChangeMadeElsewhere() throws Exception {
        open("pools");
        typeWeight("a", "3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        new ApplianceApi(appliance).admin("PATCH", "/api/v1/backends/app/servers/b", "{\"weight\": 3}");
        browser.awaitText("tr[data-server='a'] .predicted", "50%");
        browser.awaitText("tr[data-server='b'] .predicted", "50%");
        assertThat(browser.find("tr[data-server='a'] input.weight").getDomProperty("value")).isEqualTo("3");
    }

    @Test
    void whenTheApplianceGoesAwayTheLastDataStaysMarkedStale() throws Exception {
        open("pools");
        browser.awaitText("tr[data-server='a'] .health", "UP");
        appliance.close();
        browser.awaitText("#stale", "not answering");
        assertThat(browser.find("tr[data-server='a'] .name").getText()).isEqualTo("a");
        assertThat(browser.find("tr[data-server='a'] .health").getText()).contains("UP");
        assertThat(browser.find("main").getText()).doesNotContain("Failed to fetch").doesNotContain("Cannot read");
        assertThat(browser.script("return document.body.hasAttribute('data-stale')")).isEqualTo(true);
        open("overview");
        browser.screenshot("stale");
        assertThat(browser.find("main").getText()).doesNotContain("Failed to fetch");
    }

    @Test
    void directionsAreNamedAsInTheApiDocs() throws Exception {
        open("pools");
        assertThat(browser.find("table.servers thead").getText()).contains("Bytes tx / rx");
        open("overview");
        browser.awaitText("#view-overview", "bytes tx (client → server)");
        String text = browser.find("#view-overview").getText();
        assertThat(text.indexOf("bytes tx (client → server)")).isLessThan(text.indexOf("bytes rx (server → client)"));
    }
}
