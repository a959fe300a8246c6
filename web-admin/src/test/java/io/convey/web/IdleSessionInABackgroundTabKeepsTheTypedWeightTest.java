package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * A dashboard left in a background tab stops polling, so the appliance's idle timeout ends its session; back on
 * that tab the operator gets the login page, and the weight typed before is still pending and applies after
 * signing in again.
 */
class IdleSessionInABackgroundTabKeepsTheTypedWeightTest extends DashboardScenario {
    /** The shortest idle timeout the appliance accepts. */
    private static final int IDLE_S = 60;

    @Override
    String adminSettings() {
        return "session_idle_timeout_s = " + IDLE_S + "\n";
    }

    @Test
    void aTypedWeightSurvivesTheIdleTimeoutAndAppliesAfterSigningInAgain() throws Exception {
        open("pools");
        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        Browser.replaceText(weight, "3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        String dashboard = browser.driver().getWindowHandle();

        browser.newTab("about:blank"); // the operator looks at something else
        Instant idleUntil = Instant.now().plusSeconds(IDLE_S + 5);
        // time itself is the condition here: the session must be left alone for longer than the idle timeout
        await().atMost(Duration.ofSeconds(2L * IDLE_S)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Instant.now().isAfter(idleUntil));
        browser.driver().close();
        browser.switchTo(dashboard);

        awaitLoginPage();
        assertThat(browser.find("#login-reason").getText()).contains("session has ended");
        signIn("admin", appliance.adminPassword());
        assertThat(browser.find(".pending").getText()).contains("a: weight 1 → 3");
        assertThat(appliance.version()).isEqualTo(1);
        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .isEqualTo(originalConfig.replaceFirst("weight = 1", "weight = 3")));
    }
}
