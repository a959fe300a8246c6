package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * A session that expires (here at the end of its absolute lifetime, set to the shortest allowed) sends the operator
 * to the login page while a weight is typed but not applied; after signing in again the edit is still pending and
 * applies.
 */
class ExpiredSessionKeepsTheTypedWeightTest extends DashboardScenario {
    /** The shortest absolute lifetime the appliance accepts. */
    private static final int SESSION_S = 60;

    @Override
    String adminSettings() {
        // the page polls every second, which keeps an idle timeout from ever running out: the absolute one ends it
        return "session_max_age_s = " + SESSION_S + "\n";
    }

    @Test
    void aTypedWeightSurvivesTheExpiryAndAppliesAfterSigningInAgain() throws Exception {
        open("pools");
        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        Browser.replaceText(weight, "3");
        browser.awaitText(".pending", "a: weight 1 → 3");

        browser.await(Duration.ofSeconds(3L * SESSION_S), () -> "the login page once the session expired",
                d -> browser.all("#login-form").getFirst().isDisplayed());
        assertThat(browser.find("#login-reason").getText()).contains("session has ended");
        browser.screenshot("session-expired");
        signIn("admin", appliance.adminPassword());

        assertThat(browser.find(".pending").getText()).contains("a: weight 1 → 3");
        assertThat(browser.find("tr[data-server='a'] input.weight").getDomProperty("value")).isEqualTo("3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        assertThat(appliance.version()).isEqualTo(1);
        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .isEqualTo(originalConfig.replaceFirst("weight = 1", "weight = 3")));
        browser.awaitText("tr[data-server='a'] .expected", "75%");
    }
}
