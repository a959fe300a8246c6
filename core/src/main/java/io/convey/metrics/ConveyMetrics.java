package io.convey.metrics;

import io.convey.engine.Engine;
import io.convey.engine.PoolView;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The appliance's Prometheus registry and {@code /metrics} exposition, through the Prometheus Java client: the
 * engine's counters read at scrape time, plus the client's JVM and process metrics. The only code that knows the
 * exposition format: OpenMetrics when the scraper's Accept header asks for it, text format 0.0.4 otherwise.
 */
public final class ConveyMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    /** One rendered scrape. */
    public record Scrape(String contentType, byte[] body) {}

    public ConveyMetrics(Engine engine) {
        // The jar's manifest version, as the command line reports it.
        String implementation = ConveyMetrics.class.getPackage().getImplementationVersion();
        String version = implementation == null ? "dev" : implementation;
        registry.register((MultiCollector) () -> collect(engine, version));
        // JVM memory, GC, threads, classes, buffer pools, and process_* (CPU, open fds, start time, memory).
        JvmMetrics.builder().register(registry);
    }

    private static MetricSnapshots collect(Engine engine, String version) {
        Families f = new Families();
        var config = engine.config();
        List<String> frontends = config == null ? List.of() : List.copyOf(config.frontends().keySet());
        List<PoolView> pools = engine.pools();
        TrafficMetrics.collect(f, engine.stats(), frontends, pools);
        List<String> udpFrontends = config == null ? List.of() : config.frontends().values().stream()
                .filter(fe -> fe.protocol() == io.convey.config.Protocol.UDP).map(fe -> fe.name()).toList();
        DatagramMetrics.collect(f, engine.stats().datagrams(), udpFrontends, pools);
        HealthMetrics.collect(f, engine.stats(), pools);
        LimitMetrics.collect(f, engine.stats(), frontends, pools);
        PacketMetrics.collect(f, engine.dataPlaneDetails());
        AnnounceMetrics.collect(f, engine.announceDetails());
        ControlMetrics.collect(f, engine, version);
        TrafficControlMetrics.collect(f, engine.stats(), frontends, engine.accessLogs());
        return new MetricSnapshots(f.snapshots());
    }

    /** Renders every metric in the format {@code accept} (the request's Accept header, may be null) asks for. */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
            // Protocol buffers are not on the classpath (text formats only): fall back to text 0.0.4.
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }
}
