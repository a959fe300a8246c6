package io.convey.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Where the labels of chart markers go so that none overlaps another: each label takes the first of three rows where
 * it fits beside its line; a label that fits in none is counted into a "+N" on a fourth row, which merges with the
 * "+N" before it when they would touch. The dashboard (markerlabels.js) and the console lay out their own charts'
 * labels the same way; the full texts are in {@code GET /api/v1/events/recent}.
 */
final class ChartLabels {
    static final int ROWS = 3;
    private static final double GAP = 4;

    private ChartLabels() {}

    /** A marker's line (pixels) and its label. */
    record Marker(double x, String text) {}

    /** A placed label: where its text starts, its row (0 at the top), its width; {@code hidden} for a "+N" count. */
    record Label(double x, int row, double width, String text, int hidden) {
        double right() {
            return x + width;
        }
    }

    /** Lays out the labels of {@code markers} (sorted by x), measured by {@code width}, left of {@code right}. */
    static List<Label> layout(List<Marker> markers, ToDoubleFunction<String> width, double right) {
        double[] ends = new double[ROWS + 1];
        Arrays.fill(ends, Double.NEGATIVE_INFINITY);
        List<Label> placed = new ArrayList<>();
        int count = -1;
        for (Marker m : markers) {
            double w = width.applyAsDouble(m.text());
            double start = Math.min(m.x() + GAP, right - w);
            int row = -1;
            for (int r = 0; r < ROWS && row < 0; r++) {
                if (start >= ends[r] + GAP) {
                    row = r;
                }
            }
            if (row >= 0) {
                placed.add(new Label(start, row, w, m.text(), 0));
                ends[row] = start + w;
                continue;
            }
            if (count >= 0 && m.x() < ends[ROWS] + GAP) {
                Label previous = placed.get(count);
                String text = "+" + (previous.hidden() + 1);
                placed.set(count, new Label(previous.x(), ROWS, width.applyAsDouble(text), text, previous.hidden() + 1));
            } else {
                placed.add(new Label(Math.max(start, ends[ROWS] + GAP), ROWS, width.applyAsDouble("+1"), "+1", 1));
                count = placed.size() - 1;
            }
            ends[ROWS] = placed.get(count).right();
        }
        return placed;
    }
}
