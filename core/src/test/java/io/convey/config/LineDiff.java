package io.convey.config;

import java.util.ArrayList;
import java.util.List;

/** A minimal line diff (longest common subsequence) for asserting exactly which lines an edit touched. */
final class LineDiff {

    private LineDiff() {
    }

    /**
     * The changed lines, terminators included: "-N:line" for line N of {@code before} that is gone and
     * "+N:line" for line N of {@code after} that is new. Unchanged lines are left out.
     */
    static List<String> of(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> changes = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                changes.add("-" + (i + 1) + ":" + a.get(i++));
            } else {
                changes.add("+" + (j + 1) + ":" + b.get(j++));
            }
        }
        return changes;
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("(?<=\n)"));
    }
}
