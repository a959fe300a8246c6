package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The history says what each version changed (a hand edit too), its diff pane follows a new version, and the rollback
 * dialog shows what the rollback would change against the running configuration.
 */
class HistoryShowsWhatChangesTest extends DashboardScenario {

    @Test
    void aHandEditIsSummarisedAndTheDiffFollowsTheNewestVersion() throws Exception {
        open("history");
        browser.awaitText("tr[data-version='1']", "startup");
        appliance.rewrite(originalConfig.replace("addr = \"" + a.addr() + "\"\nweight = 1", "addr = \"" + a.addr() + "\"\nweight = 5")
                .replace("\n[backends.app.servers.b]\naddr = \"" + b.addr() + "\"\nweight = 1\n", "\n"));
        browser.awaitText("tr[data-version='2']", "b removed; a weight 1 → 5");
        browser.awaitText("h3", "Changes from version 1 to version 2");
        browser.awaitText("#diff", "+weight = 5");

        new ApplianceApi(appliance).admin("PATCH", "/api/v1/backends/app/servers/a", "{\"weight\": 2}");
        browser.awaitText("h3", "Changes from version 2 to version 3");
        browser.awaitText("#diff", "+weight = 2");
        assertThat(browser.find("#diff").getText()).contains("-weight = 5");
    }

    @Test
    void theRollbackDialogShowsWhatWouldChangeAgainstTheRunningVersion() throws Exception {
        new ApplianceApi(appliance).admin("PATCH", "/api/v1/backends/app/servers/b", "{\"weight\": 7}");
        new ApplianceApi(appliance).admin("PATCH", "/api/v1/backends/app/servers/a", "{\"weight\": 4}");
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 3);
        open("history");
        browser.find("tr[data-version='1'] button").click();
        WebElement dialog = browser.find("dialog.confirm");
        browser.awaitText("dialog.confirm .rollback-diff", "+weight = 1");
        assertThat(dialog.getText()).contains("against the running version 3");
        assertThat(browser.find("dialog.confirm .rollback-diff").getText())
                .contains("-weight = 7").contains("-weight = 4").contains("+weight = 1");
        browser.screenshot("history-rollback-shows-changes");
        browser.find("dialog.confirm button.secondary").click();
        assertThat(appliance.version()).isEqualTo(3);
    }
}
