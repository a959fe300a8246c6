package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A session ended elsewhere (logout in another tab of the same browser) sends the operator to the login page; the
 * half-filled add-server form survives the new sign-in and can then be submitted. A session renewed in another
 * tab does not lose this page's form either.
 */
class SessionEndedInAnotherTabKeepsTheFormTest extends DashboardScenario {

    @Test
    void aHalfFilledAddServerFormSurvivesTheNewSignInAndAddsTheServer() throws Exception {
        try (NamedServer c = new NamedServer("c")) {
            open("pools");
            String dashboard = browser.driver().getWindowHandle();
            WebElement form = browser.find("section.pool[data-pool='app'] form.add-server");
            form.findElement(By.name("name")).sendKeys("c");
            WebElement address = form.findElement(By.name("addr"));
            Browser.replaceText(address, c.addr());

            browser.newTab(url() + "#overview");
            browser.find("#logout").click();
            awaitLoginPage();
            browser.driver().close();
            browser.switchTo(dashboard);

            // the next read of the pools view is refused: the login page covers the view, which stays in the page
            awaitLoginPage();
            assertThat(browser.find("#login-reason").getText()).contains("session has ended");
            assertThat(browser.find("#login-form input[name='user']").getDomProperty("value")).isEqualTo("admin");
            browser.screenshot("session-ended");
            signIn("admin", appliance.adminPassword());

            WebElement kept = browser.find("section.pool[data-pool='app'] form.add-server");
            assertThat(kept.findElement(By.name("name")).getDomProperty("value")).isEqualTo("c");
            assertThat(kept.findElement(By.name("addr")).getDomProperty("value")).isEqualTo(c.addr());
            assertThat(appliance.version()).isEqualTo(1);
            kept.findElement(By.name("probe-add")).click();
            browser.awaitText("form.add-server .probe-result", "Added c");
            browser.awaitText("tr[data-server='c'] .name", "c");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).contains("[backends.app.servers.c]"));
        }
    }

    /**
     * Signed out and in again in another tab: the browser's session (and its CSRF token) changed under this page,
     * which reads on without noticing; its next write takes the new session's token and goes through.
     */
    @Test
    void aFormOnAPageWhoseSessionWasRenewedInAnotherTabStillApplies() throws Exception {
        open("account"); // a view that does not poll
        String dashboard = browser.driver().getWindowHandle();
        browser.find("form.new-token input[name='name']").sendKeys("grafana");

        browser.newTab(url() + "#overview");
        browser.find("#logout").click();
        awaitLoginPage();
        signIn("admin", appliance.adminPassword());
        browser.driver().close();
        browser.switchTo(dashboard);

        browser.find("form.new-token button.primary").click();
        assertThat(browser.find("#token-once #new-token").getText()).startsWith("cvy_");
        browser.awaitText("#tokens", "grafana");
        assertThat(browser.all("#login").getFirst().isDisplayed()).isFalse();
        assertThat(appliance.getJson("/api/v1/tokens?all=true").toString()).contains("\"grafana\"");
    }
}
