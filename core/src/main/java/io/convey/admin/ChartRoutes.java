package io.convey.admin;

import io.convey.engine.Engine;
import io.convey.stats.SeriesRecorder;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.ToLongFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code GET /api/v1/charts/{traffic|connections}.{png|svg}}: a scope's series drawn with XChart, with a
 * labelled vertical line for each config change ("v5") and health change ("s1 down") in the window.
 * Each request draws its own chart (XChart charts are not shared between threads).
 */
final class ChartRoutes {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 320;

    private final Engine engine;
    private final RecentEvents recent;

    ChartRoutes(Engine engine, RecentEvents recent) {
        this.engine = engine;
        this.recent = recent;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/charts/{chart}", this::chart, Access.VIEWER);
    }

    private void chart(Context ctx) throws IOException {
        String chart = ctx.pathParam("chart");
        int dot = chart.lastIndexOf('.');
        String kind = dot < 0 ? chart : chart.substring(0, dot);
        String format = dot < 0 ? "" : chart.substring(dot + 1);
        if (!List.of("traffic", "connections").contains(kind) || !List.of("png", "svg").contains(format)) {
            throw ApiErrors.notFound("no chart " + chart, "chart",
                    "\"" + chart + "\" (expected: traffic.png, traffic.svg, connections.png or connections.svg)");
        }
        String scope = ctx.queryParamAsClass("scope", String.class).getOrDefault("appliance");
        int seconds = ReadRoutes.seconds(ctx, ReadRoutes.MAX_SERIES_SECONDS);
        List<SeriesRecorder.Sample> samples = engine.series().series(seconds).get(scope);
        if (samples == null && !scope.equals("appliance")) {
            throw ApiErrors.notFound("no scope " + scope, "scope", "\"" + scope
                    + "\" (expected: appliance, frontend/<name>, pool/<name> or server/<pool>/<name>)");
        }
        Instant to = Instant.now();
        Instant from = to.minusSeconds(seconds);
        XYChart xy = kind.equals("traffic")
                // tx and rx, in this order and with these directions, as docs/api.md defines them
                ? draw("traffic " + scope, "bytes/s", samples, from, to, "tx (client to server)",
                        SeriesRecorder.Sample::bytesInPerSec, "rx (server to client)", SeriesRecorder.Sample::bytesOutPerSec)
                : draw("connections " + scope, "connections", samples, from, to, "active",
                        SeriesRecorder.Sample::active, "new per second", SeriesRecorder.Sample::newPerSec);
        markers(xy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (format.equals("png")) {
            BitmapEncoder.saveBitmap(xy, out, BitmapEncoder.BitmapFormat.PNG);
            ctx.contentType("image/png");
        } else {
            VectorGraphicsEncoder.saveVectorGraphic(xy, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            ctx.contentType("image/svg+xml");
        }
        ctx.result(out.toByteArray());
    }

    static XYChart draw(String title, String unit, List<SeriesRecorder.Sample> samples, Instant from, Instant to,
            String firstName, ToLongFunction<SeriesRecorder.Sample> first, String secondName,
            ToLongFunction<SeriesRecorder.Sample> second) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(unit).build();
        chart.getStyler().setDatePattern("HH:mm:ss");
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        List<Date> times = new ArrayList<>();
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        List<SeriesRecorder.Sample> data = samples == null || samples.isEmpty()
                ? List.of(new SeriesRecorder.Sample(from, 0, 0, 0, 0), new SeriesRecorder.Sample(to, 0, 0, 0, 0))
                : samples;
        for (SeriesRecorder.Sample s : data) {
            times.add(Date.from(s.at()));
            a.add(first.applyAsLong(s));
            b.add(second.applyAsLong(s));
        }
        chart.addSeries(firstName, times, a).setMarker(SeriesMarkers.NONE);
        chart.addSeries(secondName, times, b).setMarker(SeriesMarkers.NONE);
        long max = java.util.stream.Stream.concat(a.stream(), b.stream()).mapToLong(Long::longValue).max().orElse(0);
        chart.getStyler().setXAxisMin((double) times.getFirst().getTime());
        chart.getStyler().setXAxisMax((double) Math.max(times.getLast().getTime(), to.toEpochMilli()));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(1.0, max * 1.15)); // headroom for the marker labels
        return chart;
    }

    private void markers(XYChart chart) {
        double start = chart.getStyler().getXAxisMin();
        double end = chart.getStyler().getXAxisMax();
        List<Marked> marked = new ArrayList<>();
        for (RecentEvents.Event event : recent.since(Instant.ofEpochMilli((long) start))) {
            double x = event.at().toEpochMilli();
            if (x > end) {
                continue;
            }
            String label = switch (event.data()) {
                case EventRoutes.ConfigData c -> "v" + c.configVersion();
                case EventRoutes.ConfigRejectedData r -> "rejected";
                case EventRoutes.MaintenanceData m -> m.on() ? "maintenance" : "maintenance off";
                case EventRoutes.AnnounceData an -> an.vip() + " " + an.state();
                case EventRoutes.VrrpData v -> "VRRP " + v.state();
                case EventRoutes.HealthData h -> h.server() + (h.up() ? " up" : " down");
                case EventRoutes.StatsData s -> "stats"; // never recorded: samples are the chart itself
            };
            marked.add(new Marked(x, label));
        }
        label(chart, marked);
    }

    /** A marker in chart values: its time (epoch ms) and its label. */
    record Marked(double x, String text) {}

    /**
     * Draws a line per marker and its label where no label overlaps another ({@link ChartLabels}); answers where the
     * labels went (pixels). XChart places annotations in chart values and knows the pixels only once it has painted:
     * it paints once to measure, then the labels are added at the places found.
     */
    static List<ChartLabels.Label> label(XYChart chart, List<Marked> markers) {
        markers.forEach(m -> chart.addAnnotation(new AnnotationLine(m.x(), true, false)));
        java.awt.image.BufferedImage measured = BitmapEncoder.getBufferedImage(chart);
        java.awt.Font font = chart.getStyler().getAnnotationTextFont();
        java.awt.font.FontRenderContext text = measured.createGraphics().getFontRenderContext();
        List<ChartLabels.Marker> lines = markers.stream().sorted(java.util.Comparator.comparingDouble(Marked::x))
                .map(m -> new ChartLabels.Marker(chart.getScreenXFromChart(m.x()), m.text())).toList();
        double right = chart.getScreenXFromChart(chart.getStyler().getXAxisMax());
        List<ChartLabels.Label> labels = ChartLabels.layout(lines, t -> font.getStringBounds(t, text).getWidth(), right);
        double top = chart.getScreenYFromChart(chart.getStyler().getYAxisMax());
        double rowHeight = font.getSize2D() + 3;
        for (ChartLabels.Label l : labels) {
            // an annotation's text is centred on its point
            chart.addAnnotation(new AnnotationText(l.text(), chart.getChartXFromCoordinate((int) Math.round(l.x() + l.width() / 2)),
                    chart.getChartYFromCoordinate((int) Math.round(top + rowHeight * (l.row() + 0.5) + 2)), false));
        }
        return labels;
    }
}
