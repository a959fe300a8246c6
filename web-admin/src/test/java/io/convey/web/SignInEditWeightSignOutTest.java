package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The dashboard shows its login page to a browser without a session, goes on to the view that was asked for once
 * the operator signs in, shows who is signed in with which role, applies an edit, and after logout is back on the
 * login page with every API read refused.
 */
class SignInEditWeightSignOutTest extends DashboardScenario {

    @Override
    boolean signedInAtStart() {
        return false;
    }

    @Test
    void anOperatorSignsInSeesTheRoleEditsAWeightAndSignsOut() throws Exception {
        browser.open(url() + "#pools");
        awaitLoginPage();
        assertThat(browser.find("#login-reason").getText()).contains("Sign in");
        assertThat(browser.all("#views").getFirst().isDisplayed()).isFalse();
        assertThat(browser.driver().manage().getCookieNamed("convey_session")).isNull();
        browser.screenshot("login");

        signIn("admin", appliance.adminPassword());
        assertThat(browser.find("#user-role").getText()).isEqualTo("admin");
        browser.find("#view-pools"); // where the operator was going
        // the session cookie: HttpOnly (no script reads it), Secure, SameSite=Strict
        Cookie cookie = browser.driver().manage().getCookieNamed("convey_session");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat((String) browser.script("return document.cookie")).doesNotContain("convey_session");

        browser.awaitText("tr[data-server='a'] .health", "UP");
        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        Browser.replaceText(weight, "3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .isEqualTo(originalConfig.replaceFirst("weight = 1", "weight = 3")));
        browser.awaitText("tr[data-server='a'] .expected", "75%");

        browser.find("#logout").click();
        awaitLoginPage();
        assertThat(browser.all("#views").getFirst().isDisplayed()).isFalse();
        assertThat(browser.driver().manage().getCookieNamed("convey_session")).isNull();
        // the page's own reads are refused now, and so is the old cookie replayed by another client
        assertThat(browser.asyncScript("const done = arguments[0]; fetch('/api/v1/backends').then((r) => done(r.status));"))
                .isEqualTo(401L);
        HttpResponse<String> replayed = appliance.httpClient().send(
                HttpRequest.newBuilder(URI.create(appliance.adminUrl() + "/api/v1/backends"))
                        .header("Cookie", "convey_session=" + cookie.getValue()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(browser.all("#login-form input[name='password']").getFirst().getDomProperty("value")).isEmpty();
        assertThat(browser.driver().findElements(By.cssSelector("#view-pools"))).isEmpty(); // a fresh page: nothing kept
    }
}
