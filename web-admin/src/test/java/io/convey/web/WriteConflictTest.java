package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

class WriteConflictTest extends DashboardScenario {

    @Test
    void anEditStartedBeforeSomeoneElseChangedTheFileIsRefusedShowsWhatChangedAndKeepsTheTypedEdit() throws Exception {
        open("pools");
        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        Browser.replaceText(weight, "4");
        browser.awaitText("tr[data-server='a'] .predicted", "80%");

        String edited = originalConfig.replace("health_check_interval = 1", "health_check_interval = 2");
        appliance.rewrite(edited);
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 2);
        browser.find(".pending button.primary").click();

        WebElement notice = browser.find(".notice-conflict");
        browser.awaitText(".notice-conflict", "version 2 (file");
        assertThat(notice.getText()).contains("Not applied");
        assertThat(browser.find("section.pool[data-pool='app'] > .form-error").getText()).contains("a: weight 1 → 4");
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(edited));
        browser.screenshot("pools-conflict");

        // the refused edit is kept, previewed against what runs now, and applies on top of it
        assertThat(browser.find("section.pool[data-pool='app'] > .form-error").getText()).contains("your edit is kept");
        notice.findElement(org.openqa.selenium.By.cssSelector("button.primary")).click();
        browser.await(d -> browser.all(".notice-conflict").isEmpty());
        browser.awaitExactText("tr[data-server='a'] .expected", "50%");
        assertThat(browser.find("tr[data-server='a'] input.weight").getDomProperty("value")).isEqualTo("4");
        browser.awaitText("tr[data-server='a'] .predicted", "80%");
        assertThat(browser.find(".pending").getText()).contains("a: weight 1 → 4");
        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .isEqualTo(edited.replaceFirst("weight = 1", "weight = 4")));
        browser.awaitText("#applied", "Applied as version 3");
    }
}
