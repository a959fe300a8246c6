package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.Tcp;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

class LiveChartsTest extends DashboardScenario {

    @Test
    void chartsFollowTheStreamPerScopeShowChangesAsMarkersAndExportThroughTheApi() throws Exception {
        open("charts");
        browser.find("#chart-traffic canvas");
        browser.find("#chart-connections canvas");
        for (int i = 0; i < 6; i++) {
            Tcp.greeting(appliance.frontend("web"));
        }
        Select scope = new Select(browser.find("#chart-scope"));
        browser.await(() -> "scopes for frontend web and server b", d -> scope.getOptions().stream()
                .map(o -> o.getAttribute("value")).toList().containsAll(List.of("frontend/web", "server/app/b")));
        assertThat(scope.getOptions()).extracting(o -> o.getAttribute("value"))
                .contains("appliance", "frontend/web", "pool/app", "server/app/a", "server/app/b");

        // the live points: server a took three of the six new connections, counted from the per-second samples
        scope.selectByValue("server/app/a");
        browser.awaitText("#connections-summary", "3 new connections in the window");
        assertThat(browser.find("#chart-connections .u-title").getText()).isEqualTo("Connections");
        List<WebElement> exports = browser.all("#chart-exports a");
        assertThat(exports).extracting(e -> e.getAttribute("href")).contains(
                url() + "api/v1/charts/traffic.png?scope=server%2Fapp%2Fa&seconds=900",
                url() + "api/v1/charts/connections.svg?scope=server%2Fapp%2Fa&seconds=900");
        HttpResponse<byte[]> png = new ApplianceApi(appliance).download(exports.getFirst().getAttribute("href"));
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/png"));

        // a config change appears as a marker, live
        appliance.rewrite(originalConfig.replaceFirst("weight = 1", "weight = 2"));
        browser.awaitText("#chart-markers", "version 2 (file)");
        scope.selectByValue("appliance");

        // availability changes too: maintenance live from the stream, and again from the recent events after a reload
        new ApplianceApi(appliance).admin("POST", "/api/v1/maintenance", "{\"on\": true}");
        browser.awaitText("#chart-markers", "maintenance on (by ");
        browser.script("location.reload()");
        browser.find("#chart-traffic canvas");
        browser.awaitText("#chart-markers", "maintenance on (by ");
        new ApplianceApi(appliance).admin("POST", "/api/v1/maintenance", "{\"on\": false}");
        browser.awaitText("#chart-markers", "maintenance off (by ");
        browser.screenshot("charts");

        // everything the page loaded came from the appliance itself
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) browser.script(
                "return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(resources).isNotEmpty().allSatisfy(r -> assertThat(r).startsWith(url()));
        assertThat(resources).anyMatch(r -> r.contains("/webjars/uplot/"));
    }
}
