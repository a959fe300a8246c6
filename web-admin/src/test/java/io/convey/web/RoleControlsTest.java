package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * Each role sees only the controls it may use: a viewer edits nothing, an operator edits servers (weights, states,
 * adding and removing them) but not pools, frontends, rollbacks or users; and the appliance refuses what is hidden.
 */
class RoleControlsTest extends DashboardScenario {
    private static final String PASSWORD = "correct horse battery";

    @Override
    boolean signedInAtStart() {
        return false;
    }

    private boolean shown(String css) {
        return browser.all(css).stream().anyMatch(WebElement::isDisplayed);
    }

    private boolean enabled(String css) {
        List<WebElement> controls = browser.all(css);
        assertThat(controls).as(css).isNotEmpty();
        return controls.stream().allMatch(WebElement::isEnabled);
    }

    /** A write sent by the page itself (its session and CSRF token); answers the status. */
    private long pageWrite(String method, String path, String json) {
        return (Long) browser.asyncScript("""
                const [method, path, json, done] = arguments;
                import('./api.js').then((api) => api.write(method, path, JSON.parse(json)))
                  .then(() => done(200), (e) => done(e.status));
                """, method, path, json);
    }

    private void signInAs(String user) {
        browser.open(url() + "#pools");
        signIn(user, PASSWORD);
        browser.awaitText("tr[data-server='a'] .health", "UP");
    }

    private void signOut() {
        browser.find("#logout").click();
        awaitLoginPage();
    }

    @Test
    void viewerAndOperatorSeeOnlyTheControlsTheirRoleMayUse() throws Exception {
        ApplianceApi api = new ApplianceApi(appliance);
        api.createUser("vera", "viewer", PASSWORD);
        api.createUser("otto", "operator", PASSWORD);
        // a second version, so that the history has something to roll back to
        api.admin("PATCH", "/api/v1/backends/app/servers/b", "{\"weight\": 2}");

        signInAs("vera");
        assertThat(browser.find("#user-role").getText()).isEqualTo("viewer");
        assertThat(enabled("tr[data-server] input.weight")).isFalse();
        assertThat(enabled("tr[data-server] select.state")).isFalse();
        assertThat(shown("form.add-server")).isFalse();
        assertThat(shown("tr[data-server] button.danger")).isFalse();
        assertThat(shown("#add-pool")).isFalse();
        assertThat(shown(".pool-header button")).isFalse();
        browser.screenshot("pools-viewer");
        assertThat(pageWrite("PATCH", "/api/v1/backends/app/servers/a", "{\"weight\": 7}")).isEqualTo(403L);
        open("frontends");
        browser.find("tr[data-frontend='web']");
        assertThat(enabled("tr[data-frontend] input")).isFalse();
        assertThat(enabled("tr[data-frontend] select")).isFalse();
        assertThat(shown("tr[data-frontend] button")).isFalse();
        assertThat(shown("form.add-frontend")).isFalse();
        open("history");
        browser.find("tr[data-version='1']");
        assertThat(shown("table.history button")).isFalse();
        open("account");
        browser.awaitText("#whoami-text", "viewer");
        assertThat(shown("section.users")).isFalse();
        assertThat(shown("form.new-token")).isTrue(); // every user manages their own tokens
        signOut();

        signInAs("otto");
        assertThat(browser.find("#user-role").getText()).isEqualTo("operator");
        assertThat(enabled("tr[data-server] input.weight")).isTrue();
        assertThat(enabled("tr[data-server] select.state")).isTrue();
        assertThat(shown("form.add-server")).isTrue();
        assertThat(shown("tr[data-server] button.danger")).isTrue();
        assertThat(shown("#add-pool")).isFalse();
        assertThat(shown(".pool-header button")).isFalse();
        browser.screenshot("pools-operator");
        assertThat(pageWrite("PATCH", "/api/v1/backends/app", "{\"algorithm\": \"maglev\"}")).isEqualTo(403L);
        open("frontends");
        browser.find("tr[data-frontend='web']");
        assertThat(enabled("tr[data-frontend] input")).isFalse();
        assertThat(shown("form.add-frontend")).isFalse();
        open("history");
        browser.find("tr[data-version='1']");
        assertThat(shown("table.history button")).isFalse();
        open("account");
        browser.awaitText("#whoami-text", "operator");
        assertThat(shown("section.users")).isFalse();
        signOut();

        browser.open(url() + "#pools");
        signIn("admin", appliance.adminPassword());
        assertThat(browser.find("#user-role").getText()).isEqualTo("admin");
        browser.awaitText("tr[data-server='a'] .health", "UP");
        assertThat(shown("#add-pool")).isTrue();
        assertThat(shown(".pool-header button.danger")).isTrue();
        open("history");
        browser.find("tr[data-version='1'] button");
        open("account");
        browser.awaitText("#users", "otto");
        // nothing the refused writes asked for happened
        assertThat(appliance.configText()).contains("weight = 2").doesNotContain("weight = 7").doesNotContain("maglev");
    }
}
