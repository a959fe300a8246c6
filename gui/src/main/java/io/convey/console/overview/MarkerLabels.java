package io.convey.console.overview;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Where the labels of chart markers go so that none overlaps another: each label takes the first of a few rows where it
 * fits beside its line; a label that fits in none is counted into a "+N" on the row below, which merges with the "+N"
 * before it when they would touch. The list under the charts has every marker in full. Pure; the dashboard's
 * markerlabels.js lays out its labels the same way.
 */
public final class MarkerLabels {
    /** Rows of labels; the counts of the labels that found no room go on one more row below them. */
    public static final int ROWS = 3;
    private static final double GAP = 4;

    private MarkerLabels() {
    }

    /** A marker to label: its line's x (pixels) and the label's text. */
    public record Marker(double x, String text, TrafficKind kind) {
    }

    /** What a label stands for: a marker's kind, or a count of labels that found no room. */
    public enum TrafficKind { CONFIG, SERVER_UP, SERVER_DOWN, COUNT }

    /** A placed label: where its text starts, its row (0 at the top), its width, and how many markers a count stands for. */
    public record Label(double x, int row, double width, String text, TrafficKind kind, int hidden) {
        public double right() {
            return x + width;
        }
    }

    /**
     * Lays out labels of {@code markers} (sorted by x) measured by {@code width}, inside {@code right}: beside the line, or
     * left of it at the right edge. In each row a label starts after the previous one's end plus a gap, so no two overlap.
     */
    public static List<Label> layout(List<Marker> markers, ToDoubleFunction<String> width, double right) {
        double[] ends = new double[ROWS + 1];
        Arrays.fill(ends, Double.NEGATIVE_INFINITY);
        List<Label> placed = new ArrayList<>();
        int countIndex = -1;
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
                placed.add(new Label(start, row, w, m.text(), m.kind(), 0));
                ends[row] = start + w;
                continue;
            }
            Label count;
            if (countIndex >= 0 && m.x() < ends[ROWS] + GAP) {
                Label previous = placed.get(countIndex);
                count = withCount(previous, previous.hidden() + 1, width);
                placed.set(countIndex, count);
            } else {
                count = withCount(new Label(Math.max(start, ends[ROWS] + GAP), ROWS, 0, "", TrafficKind.COUNT, 0), 1, width);
                placed.add(count);
                countIndex = placed.size() - 1;
            }
            ends[ROWS] = count.right();
        }
        return placed;
    }

    private static Label withCount(Label label, int hidden, ToDoubleFunction<String> width) {
        String text = "+" + hidden;
        return new Label(label.x(), label.row(), width.applyAsDouble(text), text, TrafficKind.COUNT, hidden);
    }
}
