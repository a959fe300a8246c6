package io.convey.config;

import io.convey.config.TomlOutline.Header;
import java.util.List;
import java.util.Map;

/**
 * Where and how a new {@code [table]} header goes: after the last table under its nearest ancestor that has
 * tables, laid out like the sibling tables (indentation of header and keys, a blank line before or not).
 */
record TablePlacement(int offset, boolean blankBefore, String headerIndent, String keyIndent) {

    static TablePlacement of(TomlOutline outline, List<String> path) {
        List<Header> headers = outline.headers();
        for (int depth = path.size() - 1; depth >= 0; depth--) {
            List<String> ancestor = path.subList(0, depth);
            int last = lastIndex(headers, ancestor, depth);
            if (last >= 0) {
                return besideSiblings(outline, ancestor, depth, last);
            }
        }
        // No tables at all: append, separated from what is there by a blank line.
        int end = outline.length();
        return new TablePlacement(end, !outline.isBlankLine(0, end), "", "");
    }

    private static TablePlacement besideSiblings(TomlOutline outline, List<String> ancestor, int depth, int last) {
        List<Header> headers = outline.headers();
        int offset = outline.sectionEnd(last);
        int lastChild = lastIndex(headers, ancestor, depth + 1);
        if (lastChild < 0) {
            // Only the ancestor's own header: nest the new table under it with the same indentation.
            return new TablePlacement(offset, false, headers.get(last).indent(), outline.keyIndent(last));
        }
        List<String> sibling = headers.get(lastChild).path().subList(0, depth + 1);
        int first = 0;
        while (!TomlOutline.startsWith(headers.get(first).path(), sibling)) {
            first++;
        }
        Header model = headers.get(first);
        int attached = outline.attachedStart(model);
        // A first table at the top of the file counts as separated: nothing tells otherwise.
        boolean blank = attached == 0 || outline.isBlankLine(outline.lineStartBefore(attached), attached);
        return new TablePlacement(offset, blank, model.indent(), outline.keyIndent(first));
    }

    /** The last header under {@code ancestor} whose path has at least {@code minSize} keys, or -1. */
    private static int lastIndex(List<Header> headers, List<String> ancestor, int minSize) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            List<String> path = headers.get(i).path();
            if (path.size() >= minSize && TomlOutline.startsWith(path, ancestor)) {
                return i;
            }
        }
        return -1;
    }

    String insert(TomlEditor editor, List<String> path, List<Map.Entry<String, String>> entries) {
        return editor.insertAt(offset, editor.tableBlock(blankBefore, headerIndent, keyIndent, path, entries));
    }
}
