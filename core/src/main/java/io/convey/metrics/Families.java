package io.convey.metrics;

import io.convey.stats.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds metric families from the appliance's counters at scrape time. Counter names are given without
 * {@code _total}: the client's writers append it (and {@code _created} in OpenMetrics).
 */
final class Families {
    private final List<MetricSnapshot> out = new ArrayList<>();

    /** One family's data points, added by the caller with {@code labels, value}. */
    interface Points {
        void add(Labels labels, double value);
    }

    /** One histogram family's data points. */
    interface HistogramPoints {
        void add(Labels labels, Histogram.Snapshot histogram);
    }

    void counter(String name, String help, Consumer<Points> points) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        points.accept((labels, value) -> family.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
        out.add(family.build());
    }

    void gauge(String name, String help, Consumer<Points> points) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        points.accept((labels, value) -> family.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
        out.add(family.build());
    }

    void histogram(String name, String help, Consumer<HistogramPoints> points) {
        HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(name).help(help);
        points.accept((labels, h) -> family.dataPoint(HistogramDataPointSnapshot.builder().labels(labels)
                .classicHistogramBuckets(buckets(h)).sum(h.sumSeconds()).build()));
        out.add(family.build());
    }

    /** The client's buckets end with +Inf and hold per-bucket (not cumulative) counts, as ours do. */
    private static ClassicHistogramBuckets buckets(Histogram.Snapshot h) {
        double[] bounds = Arrays.copyOf(h.bounds(), h.bounds().length + 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return ClassicHistogramBuckets.of(bounds, h.counts());
    }

    List<MetricSnapshot> snapshots() {
        return out;
    }
}
