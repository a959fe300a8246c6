package io.convey.config;

import io.convey.config.TomlOutline.Header;
import io.convey.config.TomlOutline.KeyLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The line ranges that removing a key or table deletes: each table header with its keys, its sub-tables and
 * attached comments, plus dotted keys elsewhere that define it. Ranges with only blank or comment lines
 * between them merge, so nothing orphaned is left in a removed block.
 */
final class LineRemoval {

    private final TomlOutline outline;
    private final List<int[]> ranges;

    private LineRemoval(TomlOutline outline, List<int[]> ranges) {
        this.outline = outline;
        this.ranges = ranges;
    }

    static LineRemoval of(TomlOutline outline, List<String> path) {
        List<int[]> units = new ArrayList<>();
        List<Header> headers = outline.headers();
        for (int i = 0; i < headers.size(); i++) {
            if (TomlOutline.startsWith(headers.get(i).path(), path)) {
                units.add(new int[] {outline.attachedStart(headers.get(i)), outline.sectionEnd(i)});
            }
        }
        for (KeyLine key : outline.keys()) {
            boolean sectionRemoved = TomlOutline.startsWith(outline.sectionPath(key.section()), path);
            if (TomlOutline.startsWith(key.path(), path) && !sectionRemoved) {
                units.add(new int[] {key.start(), key.end()});
            }
        }
        units.sort(Comparator.comparingInt(u -> u[0]));
        List<int[]> ranges = new ArrayList<>();
        for (int[] unit : units) {
            int[] last = ranges.isEmpty() ? null : ranges.getLast();
            if (last != null && !outline.hasEntryBetween(last[1], unit[0])) {
                last[1] = Math.max(last[1], unit[1]);
            } else {
                ranges.add(unit);
            }
        }
        return new LineRemoval(outline, ranges);
    }

    /** The outline's text without the removed lines. */
    String apply() {
        StringBuilder out = new StringBuilder(outline.text());
        for (int[] range : ranges.reversed()) {
            int[] tidy = withBlankLineHygiene(range[0], range[1]);
            out.delete(tidy[0], tidy[1]);
        }
        return out.toString();
    }

    /** Where removing [start, end) would leave two blank lines together, or one at the top, drop one too. */
    private int[] withBlankLineHygiene(int start, int end) {
        boolean blankBefore = start > 0 && outline.isBlankLine(outline.lineStartBefore(start), start);
        boolean blankAfter = end < outline.length() && outline.isBlankLine(end, outline.lineEndAfter(end));
        if (blankBefore && (blankAfter || end == outline.length())) {
            return new int[] {outline.lineStartBefore(start), end};
        }
        if (start == 0 && blankAfter) {
            return new int[] {start, outline.lineEndAfter(end)};
        }
        return new int[] {start, end};
    }
}
