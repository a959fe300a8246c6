package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** A wrong password is refused with a message; repeated ones are throttled, and the page says how long to wait. */
class WrongPasswordIsRefusedAndThrottledTest extends DashboardScenario {
    private static final Pattern WAIT = Pattern.compile("too many failed logins, try again in (\\d+) s", Pattern.CASE_INSENSITIVE);

    @Override
    boolean signedInAtStart() {
        return false;
    }

    /** Submits the login form and answers the message the page shows for that attempt. */
    private String attempt(String user, String password) {
        WebElement form = browser.find("#login-form");
        WebElement name = form.findElement(By.name("user"));
        Browser.replaceText(name, user);
        WebElement secret = form.findElement(By.name("password"));
        secret.sendKeys(password);
        form.findElement(By.cssSelector("button.primary")).click();
        // a refused attempt empties the password field and shows why
        return browser.await(() -> "the answer to a login", d -> secret.getDomProperty("value").isEmpty()
                && !browser.find("#login-error").getText().isBlank() ? browser.find("#login-error").getText() : null);
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedOnesAreThrottled() throws Exception {
        browser.open(url());
        assertThat(attempt("admin", "not-the-password")).isEqualTo("Wrong user or password.");
        assertThat(browser.driver().manage().getCookieNamed("convey_session")).isNull();
        assertThat(browser.find("#login").isDisplayed()).isTrue();

        String answer = null;
        int attempts = 1;
        while (attempts < 20 && !(answer = attempt("admin", "still-wrong-" + attempts)).toLowerCase().contains("too many")) {
            assertThat(answer).isEqualTo("Wrong user or password.");
            attempts++;
        }
        Matcher wait = WAIT.matcher(answer);
        assertThat(wait.find()).as("throttled after %d attempts: %s", attempts, answer).isTrue();
        assertThat(Integer.parseInt(wait.group(1))).isPositive();
        assertThat(browser.driver().manage().getCookieNamed("convey_session")).isNull();
        assertThat(browser.find("#login").isDisplayed()).isTrue();
        browser.screenshot("login-throttled");
    }
}
