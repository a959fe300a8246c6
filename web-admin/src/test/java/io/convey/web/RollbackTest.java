package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

class RollbackTest extends DashboardScenario {

    @Test
    void rollingBackAfterAConfirmationRestoresTheFileAsItWas() throws Exception {
        open("pools");
        WebElement weight = browser.find("tr[data-server='b'] input.weight");
        Browser.replaceText(weight, "5");
        browser.awaitText("tr[data-server='b'] .predicted", "83%");
        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 2);

        open("history");
        browser.awaitText("tr[data-version='2']", "api");
        assertThat(browser.find("tr[data-version='2'] .by").getText()).isEqualTo("admin"); // who made the change
        browser.awaitText("#diff", "+weight = 5");
        assertThat(browser.find("#diff").getText()).contains("-weight = 1");
        browser.screenshot("history");

        browser.find("tr[data-version='1'] button").click();
        WebElement dialog = browser.find("dialog.confirm");
        assertThat(dialog.getText()).contains("Roll back to version 1?");
        browser.screenshot("history-rollback-confirm");
        dialog.findElement(org.openqa.selenium.By.cssSelector("button.danger")).click();

        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 3);
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(originalConfig));
        browser.awaitText("tr[data-version='3']", "rollback");
        open("pools");
        browser.awaitText("tr[data-server='b'] .expected", "50%");
    }

    @Test
    void cancellingTheConfirmationChangesNothing() throws Exception {
        open("pools");
        WebElement weight = browser.find("tr[data-server='b'] input.weight");
        Browser.replaceText(weight, "2");
        browser.awaitText("tr[data-server='b'] .predicted", "67%");
        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 2);
        String changed = appliance.configText();

        open("history");
        browser.find("tr[data-version='1'] button").click();
        browser.find("dialog.confirm button.secondary").click();
        browser.await(d -> browser.all("dialog.confirm").isEmpty());
        assertThat(appliance.version()).isEqualTo(2);
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(changed));
    }
}
