package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A frontend's accept_proxy and SNI map and a pool's send_proxy are shown and edited on the dashboard, written back to
 * the file, and a wrong SNI route shows its problem beside the map.
 */
class ProxyHeaderAndSniSettingsTest extends DashboardScenario {

    @Test
    void proxyHeaderAndSniRoutingAreShownAndEdited() throws Exception {
        open("frontends");
        browser.awaitText("tr[data-frontend='web'] .preamble-summary", "plain TCP");
        browser.find("tr[data-frontend='web'] button.secondary").click();
        WebElement form = browser.find("form.preamble[data-preamble='web']");
        form.findElement(By.name("accept_proxy")).click();
        WebElement sni = form.findElement(By.name("sni"));
        sni.sendKeys("a.example = nowhere");
        form.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("form.preamble[data-preamble='web'] .field-error", "(expected: a pool defined in [backends])");
        assertThat(appliance.configText()).isEqualTo(originalConfig);

        Browser.replaceText(sni, "a.example = app\n*.example = app");
        new Select(form.findElement(By.name("sni_mismatch"))).selectByValue("reject");
        form.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("tr[data-frontend='web'] .preamble-summary", "PROXY header required (3000 ms)");
        browser.awaitText("tr[data-frontend='web'] .preamble-summary", "SNI: a.example → app, *.example → app; others → app, non-TLS refused");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .startsWith("# the test appliance\n")
                .contains("accept_proxy = true", "sni_mismatch = \"reject\"", "[frontends.web.sni]", "\"a.example\" = \"app\"",
                        "\"*.example\" = \"app\""));
        browser.screenshot("frontend-preamble");

        open("pools");
        browser.find("section.pool[data-pool='app'] .pool-header button.secondary").click();
        WebElement settings = browser.find("section.pool[data-pool='app'] form.settings");
        new Select(settings.findElement(By.name("send_proxy"))).selectByValue("v2");
        settings.findElement(By.cssSelector("button.primary")).click();
        browser.awaitText("section.pool[data-pool='app'] .pool-header", "PROXY v2");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText())
                .contains("send_proxy = \"v2\""));
    }
}
