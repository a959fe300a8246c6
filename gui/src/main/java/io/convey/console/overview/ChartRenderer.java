package io.convey.console.overview;

import io.convey.console.appliance.TrafficHistory;
import io.convey.console.client.Api;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the traffic and connection charts of one scope with XChart into images, with a labelled line per config
 * and health change; pure, runs off the FX thread.
 */
public final class ChartRenderer {
    private static final Color CONFIG = new Color(0x1565c0);
    private static final Color DOWN = new Color(0xc62828);
    private static final Color UP = new Color(0x2e7d32);
    /** Longer labels are cut; the list under the charts has the whole text. */
    private static final int LABEL_LENGTH = 30;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final FontRenderContext TEXT = new FontRenderContext(null, true, true);
    /** Height of a row of marker labels and the font's ascent in it, in pixels. */
    static final int ROW_HEIGHT = 13;
    private static final int LABEL_ASCENT = 10;
    private static final Duration MIN_SPAN = Duration.ofMinutes(2);

    private ChartRenderer() {
    }

    /** Which chart: its title, its two lines and how values are scaled. */
    public enum Kind {
        // tx and rx, in this order and with these directions, as docs/api.md defines them
        TRAFFIC("Traffic", "tx (client → server)", Api.Sample::bytesIn, "rx (server → client)", Api.Sample::bytesOut, true),
        CONNECTIONS("Connections", "active", Api.Sample::active, "new per second", Api.Sample::newConnections, false);

        final String title;
        final String firstName;
        final ToDoubleFunction<Api.Sample> first;
        final String secondName;
        final ToDoubleFunction<Api.Sample> second;
        final boolean bytes;

        Kind(String title, String firstName, ToDoubleFunction<Api.Sample> first, String secondName,
                ToDoubleFunction<Api.Sample> second, boolean bytes) {
            this.title = title;
            this.firstName = firstName;
            this.first = first;
            this.secondName = secondName;
            this.second = second;
            this.bytes = bytes;
        }
    }

    /** A drawn chart and where its marker labels went (image pixels). */
    public record Drawn(BufferedImage image, List<MarkerLabels.Label> labels, int labelTop) {
    }

    public static BufferedImage render(Kind kind, TrafficHistory.Snapshot data, Instant now, int width, int height) {
        return draw(kind, data, now, width, height).image();
    }

    /** Draws the chart, then the marker labels where none overlaps another ({@link MarkerLabels}). */
    public static Drawn draw(Kind kind, TrafficHistory.Snapshot data, Instant now, int width, int height) {
        List<Api.Sample> samples = data.samples();
        Instant end = samples.isEmpty() ? now : samples.getLast().t();
        // Fifteen minutes once there is that much; before, from the first sample but at least two minutes wide.
        Instant first = samples.isEmpty() ? end : samples.getFirst().t();
        Instant start = Collections.max(List.of(end.minus(TrafficHistory.WINDOW),
                Collections.min(List.of(first, end.minus(MIN_SPAN)))));
        double max = samples.stream().mapToDouble(s -> Math.max(kind.first.applyAsDouble(s), kind.second.applyAsDouble(s)))
                .max().orElse(0);
        double scale = 1;
        String unit = "";
        if (kind.bytes) {
            scale = max >= 1 << 20 ? 1 << 20 : max >= 1 << 10 ? 1 << 10 : 1;
            unit = scale == 1 << 20 ? "MiB/s" : scale == 1 << 10 ? "KiB/s" : "B/s";
        }
        String title = kind.title + (data.scope().equals(TrafficHistory.APPLIANCE) ? "" : " · " + data.scope());
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).yAxisTitle(unit).build();
        style(chart, start, end, Math.max(1, max / scale) * 1.15);
        addLine(chart, kind.firstName, samples, start, end, kind.first, scale, new Color(0x1e88e5));
        addLine(chart, kind.secondName, samples, start, end, kind.second, scale, new Color(0xf4511e));
        double top = Math.max(1, max / scale) * 1.15;
        List<TrafficHistory.Marker> shown = data.markers().stream().filter(m -> !m.at().isBefore(start))
                .sorted(java.util.Comparator.comparing(TrafficHistory.Marker::at)).toList();
        int index = 0;
        for (TrafficHistory.Marker marker : shown) {
            Date at = Date.from(marker.at());
            XYSeries line = chart.addSeries("marker " + index++, List.of(at, at), List.of(0.0, top));
            line.setShowInLegend(false);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(colour(marker.kind()));
            line.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    new float[] {4, 3}, 0));
        }
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        // XChart knows where values land once it has painted: labels are placed in those pixels
        List<MarkerLabels.Marker> lines = shown.stream().map(m -> new MarkerLabels.Marker(
                chart.getScreenXFromChart(m.at().toEpochMilli()), shorten(m.label()), switch (m.kind()) {
                    case CONFIG -> MarkerLabels.TrafficKind.CONFIG;
                    case SERVER_DOWN -> MarkerLabels.TrafficKind.SERVER_DOWN;
                    case SERVER_UP -> MarkerLabels.TrafficKind.SERVER_UP;
                })).toList();
        double right = chart.getScreenXFromChart(end.toEpochMilli());
        List<MarkerLabels.Label> labels = MarkerLabels.layout(lines,
                text -> LABEL_FONT.getStringBounds(text, TEXT).getWidth(), right);
        int labelTop = (int) Math.round(chart.getScreenYFromChart(top)) + 2;
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(LABEL_FONT);
            for (MarkerLabels.Label label : labels) {
                g.setColor(switch (label.kind()) {
                    case CONFIG -> CONFIG;
                    case SERVER_DOWN -> DOWN;
                    case SERVER_UP -> UP;
                    case COUNT -> new Color(0x37474f);
                });
                g.drawString(label.text(), (float) label.x(), labelTop + ROW_HEIGHT * label.row() + LABEL_ASCENT);
            }
        } finally {
            g.dispose();
        }
        return new Drawn(image, labels, labelTop);
    }

    /** The colour the legend under the charts promises for each kind of marker. */
    static Color colour(TrafficHistory.MarkerKind kind) {
        return switch (kind) {
            case CONFIG -> CONFIG;
            case SERVER_DOWN -> DOWN;
            case SERVER_UP -> UP;
        };
    }

    private static String shorten(String label) {
        return label.length() <= LABEL_LENGTH ? label : label.substring(0, LABEL_LENGTH - 1) + "…";
    }

    private static void style(XYChart chart, Instant start, Instant end, double yMax) {
        var styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setLegendBorderColor(new Color(0xdddddd));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setPlotGridLinesColor(new Color(0xeeeeee));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setDatePattern("HH:mm");
        styler.setXAxisMin((double) start.toEpochMilli());
        styler.setXAxisMax((double) end.toEpochMilli());
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(yMax);
        styler.setYAxisDecimalPattern(yMax < 10 ? "0.#" : "#,##0");
        styler.setMarkerSize(0);
    }

    private static void addLine(XYChart chart, String name, List<Api.Sample> samples, Instant start, Instant end,
            ToDoubleFunction<Api.Sample> value, double scale, Color color) {
        List<Date> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Api.Sample s : samples) {
            xs.add(Date.from(s.t()));
            ys.add(value.applyAsDouble(s) / scale);
        }
        if (xs.isEmpty()) { // XChart refuses empty series: draw a flat line until the first sample arrives
            xs.addAll(List.of(Date.from(start), Date.from(end)));
            ys.addAll(List.of(0.0, 0.0));
        }
        XYSeries series = chart.addSeries(name, xs, ys);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineWidth(1.6f);
    }
}
