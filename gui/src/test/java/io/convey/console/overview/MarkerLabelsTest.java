package io.convey.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.appliance.TrafficHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Labels of markers close together on a chart never overlap: the ones without room are counted into "+N". */
class MarkerLabelsTest {

    @Test
    void twelveChangesWithinSecondsGetThreeRowsOfLabelsAndACount() {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        List<TrafficHistory.Marker> markers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            markers.add(TrafficHistory.Marker.config(now.minusSeconds(30 - i), i + 1, "server web/a: weight " + i));
        }
        markers.add(TrafficHistory.Marker.health(now.minusSeconds(10), "web", "b", false, "connection refused"));
        ChartRenderer.Drawn drawn = ChartRenderer.draw(ChartRenderer.Kind.TRAFFIC,
                new TrafficHistory.Snapshot("appliance", List.of(), markers), now, 900, 230);

        List<MarkerLabels.Label> labels = drawn.labels();
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                MarkerLabels.Label a = labels.get(i);
                MarkerLabels.Label b = labels.get(j);
                boolean overlap = a.row() == b.row() && a.x() < b.right() && b.x() < a.right();
                assertThat(overlap).as("%s and %s", a, b).isFalse();
            }
        }
        assertThat(labels).allSatisfy(l -> assertThat(l.right()).isLessThanOrEqualTo(drawn.image().getWidth()));
        int shown = (int) labels.stream().filter(l -> l.hidden() == 0).count();
        int counted = labels.stream().mapToInt(MarkerLabels.Label::hidden).sum();
        assertThat(shown + counted).isEqualTo(13);
        assertThat(labels).anySatisfy(l -> assertThat(l.text()).matches("\\+\\d+"));
    }

    @Test
    void markersFarApartAreAllLabelledOnTheFirstRow() {
        List<MarkerLabels.Marker> far = List.of(new MarkerLabels.Marker(10, "v1", MarkerLabels.TrafficKind.CONFIG),
                new MarkerLabels.Marker(200, "v2", MarkerLabels.TrafficKind.CONFIG),
                new MarkerLabels.Marker(400, "web/b down", MarkerLabels.TrafficKind.SERVER_DOWN));
        List<MarkerLabels.Label> labels = MarkerLabels.layout(far, text -> 7.0 * text.length(), 800);
        assertThat(labels).extracting(MarkerLabels.Label::row).containsExactly(0, 0, 0);
        assertThat(labels).extracting(MarkerLabels.Label::hidden).containsOnly(0);
    }

    @Test
    void aLabelAtTheRightEdgeStaysInside() {
        List<MarkerLabels.Label> labels = MarkerLabels.layout(
                List.of(new MarkerLabels.Marker(795, "web/b down", MarkerLabels.TrafficKind.SERVER_DOWN)),
                text -> 7.0 * text.length(), 800);
        assertThat(labels.getFirst().right()).isLessThanOrEqualTo(800);
    }
}
