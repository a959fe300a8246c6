package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The account screen: an admin adds a user, changes their role, resets their password and removes them; a user
 * creates an API token (shown once), sees it used, revokes it, and changes their own password.
 */
class AccountUsersAndTokensTest extends DashboardScenario {

    private void confirm() {
        browser.find("dialog.confirm button.danger").click();
        browser.await(d -> browser.all("dialog.confirm").isEmpty());
    }

    @Test
    void anAdminAddsChangesResetsAndRemovesAUser() throws Exception {
        open("account");
        WebElement add = browser.find("form.add-user");
        Browser.replaceText(add, "name", "olivia");
        new Select(add.findElement(By.name("role"))).selectByValue("operator");
        Browser.replaceText(add, "password", "short");
        add.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("form.add-user .form-error, form.add-user .field-error", "10"); // at least 10 characters
        Browser.replaceText(add, "password", "olivia's first password");
        add.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("#users tr[data-user='olivia']", "olivia");
        assertThat(new Select(browser.find("tr[data-user='olivia'] select")).getFirstSelectedOption().getText()).isEqualTo("operator");
        browser.screenshot("account-admin");

        new Select(browser.find("tr[data-user='olivia'] select")).selectByValue("viewer");
        browser.find("tr[data-user='olivia'] button.primary").click();
        browser.awaitText("tr[data-user='olivia'] .form-result", "viewer");
        ApplianceApi api = new ApplianceApi(appliance);
        assertThat(api.admin("GET", "/api/v1/users", null).toString()).contains("{\"name\":\"olivia\",\"role\":\"viewer\"");

        browser.find("tr[data-user='olivia'] button.secondary").click();
        WebElement reset = browser.find("tr[data-user='olivia'] form.reset-password");
        reset.findElement(By.tagName("input")).sendKeys("olivia's second password");
        reset.findElement(By.tagName("button")).click();
        browser.awaitText("tr[data-user='olivia'] .form-result", "password set");
        assertThat(api.send("POST", "/api/v1/login", "{\"user\":\"olivia\",\"password\":\"olivia's second password\",\"token_name\":\"check\"}", null)
                .statusCode()).isEqualTo(201);

        // the last admin cannot be demoted: the refusal shows in that user's row
        new Select(browser.find("tr[data-user='admin'] select")).selectByValue("viewer");
        browser.find("tr[data-user='admin'] button.primary").click();
        browser.awaitText("tr[data-user='admin'] .form-error, tr[data-user='admin'] .field-error", "admin");

        browser.find("tr[data-user='olivia'] button.danger").click();
        confirm();
        browser.await(d -> browser.all("tr[data-user='olivia']").isEmpty());
        assertThat(api.admin("GET", "/api/v1/users", null).toString()).doesNotContain("olivia");
    }

    @Test
    void aUserCreatesAToken_seesItUsed_revokesIt_andChangesTheirPassword() throws Exception {
        open("account");
        WebElement create = browser.find("form.new-token");
        Browser.replaceText(create, "name", "prometheus");
        create.findElement(By.cssSelector("button.primary")).click();
        String token = browser.find("#token-once #new-token").getText();
        assertThat(token).startsWith("cvy_");
        browser.screenshot("account-token-once");
        browser.awaitText("#tokens tr[data-name='prometheus'] .last-used", "never");

        ApplianceApi api = new ApplianceApi(appliance);
        HttpResponse<String> used = api.send("GET", "/api/v1/status", null, token);
        assertThat(used.statusCode()).isEqualTo(200);
        open("overview");
        open("account"); // shown again: read again
        browser.await(d -> !browser.find("#tokens tr[data-name='prometheus'] .last-used").getText().equals("never"));
        assertThat(browser.all("#token-once").getFirst().getText()).contains(token); // until dismissed

        browser.find("#tokens tr[data-name='prometheus'] button.danger").click();
        confirm();
        browser.await(d -> browser.all("#tokens tr[data-name='prometheus']").isEmpty());
        assertThat(api.send("GET", "/api/v1/status", null, token).statusCode()).isEqualTo(401);

        WebElement password = browser.find("form.change-password");
        Browser.replaceText(password, "current_password", appliance.adminPassword());
        Browser.replaceText(password, "new_password", "a brand new admin password");
        Browser.replaceText(password, "repeat", "a brand new admin password");
        password.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("form.change-password .form-result", "Password changed");
        browser.find("#logout").click();
        awaitLoginPage();
        signIn("admin", "a brand new admin password");
        assertThat(browser.find("#user-role").getText()).isEqualTo("admin");
    }
}
