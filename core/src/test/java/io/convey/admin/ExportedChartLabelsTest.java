package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.stats.SeriesRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** The exported charts (PNG, SVG) label close markers without overlap: three rows, then a "+N" count. */
class ExportedChartLabelsTest {

    @Test
    void twelveChangesWithinSecondsDoNotOverlapOnTheExportedChart() {
        Instant to = Instant.parse("2026-12-04T12:00:00Z");
        Instant from = to.minusSeconds(120);
        List<SeriesRecorder.Sample> samples = new ArrayList<>();
        for (int i = 0; i <= 120; i++) {
            samples.add(new SeriesRecorder.Sample(from.plusSeconds(i), 1000 + i, 2000, 3, 1));
        }
        XYChart chart = ChartRoutes.draw("traffic appliance", "bytes/s", samples, from, to, "tx (client to server)",
                SeriesRecorder.Sample::bytesInPerSec, "rx (server to client)", SeriesRecorder.Sample::bytesOutPerSec);
        List<ChartRoutes.Marked> markers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            markers.add(new ChartRoutes.Marked(to.minusSeconds(40 - i).toEpochMilli(), "v" + (i + 2)));
        }
        markers.add(new ChartRoutes.Marked(to.minusSeconds(90).toEpochMilli(), "s1 down"));

        List<ChartLabels.Label> labels = ChartRoutes.label(chart, markers);

        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                ChartLabels.Label a = labels.get(i);
                ChartLabels.Label b = labels.get(j);
                assertThat(a.row() == b.row() && a.x() < b.right() && b.x() < a.right()).as("%s and %s", a, b).isFalse();
            }
        }
        assertThat(labels.stream().mapToInt(l -> l.hidden() == 0 ? 1 : l.hidden()).sum()).isEqualTo(13);
        assertThat(labels).anySatisfy(l -> assertThat(l.text()).matches("\\+\\d+"));
        assertThat(labels).anySatisfy(l -> assertThat(l.text()).isEqualTo("s1 down"));
        assertThat(BitmapEncoder.getBufferedImage(chart).getWidth()).isEqualTo(900);
    }
}
