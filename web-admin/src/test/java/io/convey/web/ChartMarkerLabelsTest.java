package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Many changes within seconds put their markers at one place on the charts: their labels must not overlap. */
class ChartMarkerLabelsTest extends DashboardScenario {

    @Test
    void labelsOfCloseMarkersDoNotOverlapAndTheRestAreCounted() throws Exception {
        ApplianceApi api = new ApplianceApi(appliance);
        for (int i = 2; i <= 11; i++) {
            api.admin("PATCH", "/api/v1/backends/app/servers/a", "{\"weight\": " + i + "}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> appliance.version() == 11);
        open("charts");
        browser.awaitText("#chart-markers", "version 11");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> labels = browser.await(() -> "the traffic chart's labels", d -> {
            // markers newer than the last sample are right of the plot until the next second's sample
            Object value = browser.script("const l = document.querySelector('#chart-traffic').markerLabels;"
                    + " return l && l.reduce((n, x) => n + (x.hidden || 1), 0) >= 11 ? l : null;");
            return (List<Map<String, Object>>) value;
        });
        browser.screenshot("chart-marker-labels");
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                assertThat(overlap(labels.get(i), labels.get(j))).as("%s and %s", labels.get(i), labels.get(j)).isFalse();
            }
        }
        long hidden = labels.stream().mapToLong(l -> ((Number) l.get("hidden")).longValue()).sum();
        long shown = labels.stream().filter(l -> ((Number) l.get("hidden")).longValue() == 0).count();
        assertThat(shown + hidden).as("every marker is labelled or counted").isGreaterThanOrEqualTo(11);
        assertThat(labels).anySatisfy(l -> assertThat((String) l.get("text")).matches("\\+\\d+"));
    }

    private static boolean overlap(Map<String, Object> x, Map<String, Object> y) {
        return num(x, "left") < num(y, "right") && num(y, "left") < num(x, "right")
                && num(x, "top") < num(y, "bottom") && num(y, "top") < num(x, "bottom");
    }

    private static double num(Map<String, Object> label, String key) {
        return ((Number) label.get(key)).doubleValue();
    }
}
