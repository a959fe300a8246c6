package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * Writes from an untrusted address need the admin token: the dashboard asks for it when a change is refused, retries
 * with it, keeps it for the next changes and asks again when the appliance rejects it. The appliance here trusts no
 * address (the browser is on loopback, which is trusted in production).
 */
class TokenPromptTest extends DashboardScenario {

    @Override
    @BeforeEach
    void startAppliance() throws Exception {
        a = new NamedServer("a");
        b = new NamedServer("b");
        Files.writeString(dir.resolve("token"), "s3cret-token\n");
        originalConfig = twoServerConfig(a, b) + "token_file = \"token\"\n";
        appliance = RunningDaemon.start(dir, originalConfig, address -> false);
        browser = new Browser();
    }

    @Test
    void aRefusedChangeAsksForTheTokenAndGoesThroughWithIt() throws Exception {
        open("pools");
        browser.awaitText("tr[data-server='a'] .health", "UP");

        setWeight("a", "3");
        apply();
        WebElement dialog = browser.await(d -> d.findElement(org.openqa.selenium.By.id("token-dialog")).isDisplayed()
                ? d.findElement(org.openqa.selenium.By.id("token-dialog")) : null);
        assertThat(browser.find("#token-reason").getText()).contains("token_file");
        browser.screenshot("token-prompt");
        browser.find("#token-input").sendKeys("wrong");
        browser.find("#token-dialog button.primary").click();
        // rejected: nothing changes, the operator is told
        browser.await(d -> !dialog.isDisplayed());
        browser.awaitText(".form-error", "token");
        assertThat(appliance.configText()).isEqualTo(originalConfig);

        apply(); // asks again, since the rejected token was forgotten
        browser.await(d -> dialog.isDisplayed());
        browser.find("#token-input").sendKeys("s3cret-token");
        browser.find("#token-dialog button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.configText().contains("weight = 3"));
        browser.awaitText("tr[data-server='a'] .expected", "75%");
        browser.await(d -> !browser.all(".pending").getFirst().isDisplayed());
        // the card shows the running version before the next edit starts from it
        browser.await(d -> "3".equals(browser.find("tr[data-server='a'] input.weight").getDomProperty("value"))
                && appliance.version() == 2);

        setWeight("b", "2"); // the accepted token is kept for this tab: no second prompt
        apply();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.configText().contains("weight = 2"));
        assertThat(dialog.isDisplayed()).isFalse();
    }

    private void setWeight(String server, String weight) {
        WebElement input = browser.find("tr[data-server='" + server + "'] input.weight");
        input.clear();
        input.sendKeys(weight);
        browser.awaitText(".pending", server + ": weight");
    }

    private void apply() {
        browser.find(".pending button.primary").click();
    }
}
