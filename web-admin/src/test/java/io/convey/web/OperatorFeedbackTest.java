package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** What the dashboard tells an operator after each action and while the appliance changes under the page. */
class OperatorFeedbackTest extends DashboardScenario {

    private void typeWeight(String server, String value) {
        WebElement weight = browser.find("tr[data-server='" + server + "'] input.weight");
        Browser.replaceText(weight, value);
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
    void aWeightRetypedKeyByKeyKeepsItsFieldThroughTheRunningValue() throws Exception {
        open("pools");
        browser.awaitText("tr[data-server='a'] .health", "UP");
        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        // 1 to 10 the way an operator types it: emptied, then "1" (the running weight: nothing pending), then "0"
        weight.sendKeys(Keys.chord(Keys.CONTROL, "a"));
        weight.sendKeys(Keys.BACK_SPACE);
        weight.sendKeys("1");
        weight.sendKeys("0");
        browser.awaitText("tr[data-server='a'] .predicted", "91%");
        assertThat(weight.getDomProperty("value")).isEqualTo("10"); // the same field: not rebuilt under the typing
        assertThat(browser.script("return document.activeElement === arguments[0]", weight)).isEqualTo(true);
        assertThat(browser.find(".pending").getText()).contains("a: weight 1 → 10");
    }

    @Test
    void aFieldBeingTypedInKeepsTheFocusWhileTheViewReadsAgain() throws Exception {
        open("pools");
        typeAcrossReads(browser.find("tr[data-server='a'] input.weight"), "4", "/api/v1/backends", "0");
        browser.awaitText("tr[data-server='a'] .predicted", "98%");

        open("frontends");
        typeAcrossReads(browser.find("tr[data-frontend='web'] input"), "127.0.0.1:", "/api/v1/frontends", "1");
    }

    /**
     * Types {@code first} into the field, lets the view read {@code path} again, then types {@code next} where the
     * focus is, as an operator's keys go: the field must have both.
     */
    private void typeAcrossReads(WebElement field, String first, String path, String next) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), first);
        awaitReadsAfterThis(path);
        new Actions(browser.driver()).sendKeys(next).perform();
        assertThat(field.getDomProperty("value")).isEqualTo(first + next);
    }

    /**
     * Waits until the page has read the path twice more: reads of a view never overlap, so the second one starts only
     * once a whole read that began after this call has been rendered.
     */
    private void awaitReadsAfterThis(String path) {
        browser.script("""
                if (!window.readsOf) {
                  window.readsOf = {};
                  const original = window.fetch;
                  window.fetch = (input, init) => {
                    const path = new URL(String(input.url ?? input), location.href).pathname;
                    window.readsOf[path] = (window.readsOf[path] ?? 0) + 1;
                    return original(input, init);
                  };
                }""");
        String count = "return window.readsOf[arguments[0]] ?? 0";
        long before = ((Number) browser.script(count, path)).longValue();
        browser.await(() -> "two reads of " + path, d -> ((Number) browser.script(count, path)).longValue() >= before + 2);
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
        Browser.replaceText(address, "not-an-address");
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
        Browser.replaceText(listen, "127.0.0.1:1");
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
