package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.Tcp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

class WeightEditChangesFileAndSplitTest extends DashboardScenario {

    @Test
    void editingAWeightPreviewsTheShareThenApplyingWritesTheFileAndMovesTraffic() throws Exception {
        assertThat(Tcp.split(appliance.frontend("web"), 20)).isEqualTo(Map.of("a", 10, "b", 10));
        open("pools");
        browser.awaitText("tr[data-server='a'] .health", "UP");
        browser.awaitText("tr[data-server='a'] .share", "50%");

        WebElement weight = browser.find("tr[data-server='a'] input.weight");
        Browser.replaceText(weight, "3");
        browser.awaitText("tr[data-server='a'] .predicted", "75%");
        browser.awaitText("tr[data-server='b'] .predicted", "25%");
        assertThat(browser.find(".pending").getText()).contains("a: weight 1 → 3");
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(originalConfig)); // a preview changes nothing
        browser.screenshot("pools-weight-preview");

        browser.find(".pending button.primary").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.configText().contains("weight = 3"));
        // the file is written back just after the change is applied (and shown)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(appliance.configText()).isEqualTo(originalConfig.replaceFirst("weight = 1", "weight = 3")));
        browser.awaitText("tr[data-server='a'] .expected", "75%");
        assertThat(browser.all(".pending").getFirst().isDisplayed()).isFalse();

        Map<String, Integer> split = Tcp.split(appliance.frontend("web"), 40);
        assertThat(split.get("a")).isBetween(29, 31);
        assertThat(split.get("b")).isBetween(9, 11);
        browser.awaitText("tr[data-server='a'] .seen", "seen");
        browser.screenshot("pools");
    }
}
