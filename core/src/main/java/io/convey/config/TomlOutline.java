package io.convey.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The line structure of a TOML document: its table headers and key/value lines with their offsets.
 *
 * <p>Everything between two entries is blank or comment lines. Multi-line strings and arrays are skipped as
 * one value, so a line inside them is never mistaken for a header, a key or a comment.
 */
final class TomlOutline {

    /** A {@code [path]} or {@code [[path]]} line; {@code end} is the offset after its line terminator. */
    record Header(List<String> path, boolean arrayTable, int start, int end, String indent) {
    }

    /**
     * A key/value pair: {@code key} as written, {@code path} from the document root, {@code section} the index
     * of its header (-1 for the root). {@code end} is after the terminator of the value's last line.
     */
    record KeyLine(List<String> key, List<String> path, int section, int start, int end, String indent) {
    }

    private final String text;
    private final List<Header> headers = new ArrayList<>();
    private final List<KeyLine> keys = new ArrayList<>();
    private final List<Integer> lineStarts = new ArrayList<>();

    private TomlOutline(String text) {
        this.text = text;
    }

    static TomlOutline scan(String text) {
        TomlOutline outline = new TomlOutline(text);
        outline.scan();
        return outline;
    }

    private void scan() {
        lineStarts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        TomlCursor cursor = new TomlCursor(text, 0);
        List<String> table = List.of();
        while (!cursor.atEnd()) {
            int start = cursor.pos();
            cursor.skipBlanks();
            String indent = text.substring(start, cursor.pos());
            if (cursor.atLineEnd()) {
                cursor.skipLine();
            } else if (cursor.peek() == '[') {
                cursor.expect('[');
                boolean arrayTable = cursor.peek() == '[';
                if (arrayTable) {
                    cursor.expect('[');
                }
                table = List.copyOf(cursor.readKey());
                cursor.skipLine();
                headers.add(new Header(table, arrayTable, start, cursor.pos(), indent));
            } else {
                List<String> key = cursor.readKey();
                cursor.expect('=');
                cursor.skipBlanks();
                cursor.skipValue();
                cursor.skipLine();
                keys.add(new KeyLine(List.copyOf(key), concat(table, key), headers.size() - 1, start, cursor.pos(),
                        indent));
            }
        }
    }

    List<Header> headers() {
        return headers;
    }

    List<KeyLine> keys() {
        return keys;
    }

    /** The path of a section's table: its header's path, or the root for -1. */
    List<String> sectionPath(int section) {
        return section < 0 ? List.of() : headers.get(section).path();
    }

    List<KeyLine> keysOf(int section) {
        return keys.stream().filter(k -> k.section() == section).toList();
    }

    /** The index of the plain {@code [path]} header, or -1. */
    int headerIndex(List<String> path) {
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.get(i).arrayTable() && headers.get(i).path().equals(path)) {
                return i;
            }
        }
        return -1;
    }

    /** The key/value line whose value is {@code path} or contains it (an inline table or array). */
    Optional<KeyLine> valueHolding(List<String> path) {
        return keys.stream().filter(k -> startsWith(path, k.path())).findFirst();
    }

    /** End of the last key line of the section, or of its header line when it has no keys. */
    int contentEnd(int section) {
        int end = section < 0 ? 0 : headers.get(section).end();
        for (KeyLine k : keysOf(section)) {
            end = Math.max(end, k.end());
        }
        return end;
    }

    /**
     * End of a section including the comment lines right after its last key, e.g. a note about the last
     * server; stops at a blank line and before comments directly attached to the next header.
     */
    int sectionEnd(int section) {
        int end = contentEnd(section);
        int limit = nextEntryStart(end);
        for (Header h : headers) {
            if (h.start() == limit) {
                limit = attachedStart(h);
            }
        }
        while (end < limit && text.substring(end, lineEndAfter(end)).strip().startsWith("#")) {
            end = lineEndAfter(end);
        }
        return end;
    }

    private int nextEntryStart(int offset) {
        int next = text.length();
        for (Header h : headers) {
            next = h.start() >= offset ? Math.min(next, h.start()) : next;
        }
        for (KeyLine k : keys) {
            next = k.start() >= offset ? Math.min(next, k.start()) : next;
        }
        return next;
    }

    /** Indentation for a new key in a section: that of its first key, or of its header. */
    String keyIndent(int section) {
        List<KeyLine> own = keysOf(section);
        if (!own.isEmpty()) {
            return own.getFirst().indent();
        }
        return section < 0 ? "" : headers.get(section).indent();
    }

    /** Start of the comment lines directly above a header (no blank line between), or the header's start. */
    int attachedStart(Header header) {
        int floor = previousEntryEnd(header.start());
        int start = header.start();
        while (start > floor) {
            int previous = lineStartBefore(start);
            if (!text.substring(previous, start).strip().startsWith("#")) {
                break;
            }
            start = previous;
        }
        return start;
    }

    private int previousEntryEnd(int offset) {
        int floor = 0;
        for (Header h : headers) {
            floor = h.end() <= offset ? Math.max(floor, h.end()) : floor;
        }
        for (KeyLine k : keys) {
            floor = k.end() <= offset ? Math.max(floor, k.end()) : floor;
        }
        return floor;
    }

    /** True if some header or key line starts in [from, to). */
    boolean hasEntryBetween(int from, int to) {
        return headers.stream().anyMatch(h -> h.start() >= from && h.start() < to)
                || keys.stream().anyMatch(k -> k.start() >= from && k.start() < to);
    }

    String text() {
        return text;
    }

    int length() {
        return text.length();
    }

    int lineStartBefore(int offset) {
        return text.lastIndexOf('\n', offset - 2) + 1;
    }

    int lineEndAfter(int offset) {
        int newline = text.indexOf('\n', offset);
        return newline < 0 ? text.length() : newline + 1;
    }

    boolean isBlankLine(int start, int end) {
        return text.substring(start, end).isBlank();
    }

    /** The offset of a tomlj position; tomlj counts columns in code points from 1. */
    int offsetOf(int line, int column) {
        return text.offsetByCodePoints(lineStarts.get(line - 1), column - 1);
    }

    static boolean startsWith(List<String> path, List<String> prefix) {
        return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> joined = new ArrayList<>(a);
        joined.addAll(b);
        return List.copyOf(joined);
    }
}
