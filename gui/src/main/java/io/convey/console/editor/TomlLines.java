package io.convey.console.editor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A TOML text as lines, with the few line-level operations the config form needs: replace the value of a
 * {@code key = value} line, insert lines, remove lines and find the extent of a {@code [table]}. Every line not
 * touched stays byte for byte, comments included. Immutable: each edit returns a new instance.
 * Multi-line strings are not understood (the convey config has none); a header is a line starting with '['.
 */
record TomlLines(List<String> lines, String newline, boolean finalNewline) {

    TomlLines {
        lines = List.copyOf(lines);
    }

    static TomlLines of(String text) {
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        boolean finalNewline = text.endsWith("\n");
        String body = finalNewline ? text.substring(0, text.length() - newline.length()) : text;
        List<String> lines = body.isEmpty() && finalNewline ? List.of("") : Arrays.asList(body.split("\r?\n", -1));
        return new TomlLines(lines, newline, finalNewline);
    }

    String text() {
        return String.join(newline, lines) + (finalNewline ? newline : "");
    }

    String line(int index) {
        return lines.get(index);
    }

    int size() {
        return lines.size();
    }

    /** The key path of a {@code [table]} header line (bare or quoted keys), or empty if the line is no header. */
    static Optional<List<String>> header(String line) {
        String t = line.strip();
        if (!t.startsWith("[") || t.startsWith("[[")) {
            return Optional.empty();
        }
        int end = t.indexOf(']');
        if (end < 0) {
            return Optional.empty();
        }
        List<String> path = new ArrayList<>();
        for (String part : t.substring(1, end).split("\\.")) {
            String key = part.strip();
            path.add(key.length() >= 2 && (key.startsWith("\"") || key.startsWith("'")) ? key.substring(1, key.length() - 1)
                    : key);
        }
        return Optional.of(path);
    }

    static boolean isHeader(String line) {
        return line.strip().startsWith("[");
    }

    static boolean isContent(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.startsWith("#");
    }

    /** The index of the header line of table {@code path}, if the table has its own header. */
    Optional<Integer> headerOf(List<String> path) {
        for (int i = 0; i < lines.size(); i++) {
            if (header(lines.get(i)).filter(path::equals).isPresent()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The last key line of the table whose header is at {@code header} (the header itself if it has no keys). */
    int lastContentLine(int header) {
        int last = header;
        for (int i = header + 1; i < lines.size() && !isHeader(lines.get(i)); i++) {
            if (isContent(lines.get(i))) {
                last = i;
            }
        }
        return last;
    }

    /** The leading whitespace of a line. */
    String indent(int index) {
        String line = lines.get(index);
        return line.substring(0, line.length() - line.stripLeading().length());
    }

    /** Replaces the value of the {@code key = value} whose key starts at {@code column} (0-based) of line {@code index}. */
    TomlLines replaceValue(int index, int column, String literal) {
        String line = lines.get(index);
        int eq = line.indexOf('=', column);
        if (eq < 0) {
            throw new IllegalArgumentException("line " + (index + 1) + ": no '=' after the key");
        }
        int start = eq + 1;
        while (start < line.length() && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
            start++;
        }
        int end = valueEnd(line, start);
        List<String> out = new ArrayList<>(lines);
        out.set(index, line.substring(0, start) + literal + line.substring(end));
        return new TomlLines(out, newline, finalNewline);
    }

    /** Where a value starting at {@code start} ends: after its closing quote, or before a comment, ',' or '}'. */
    private static int valueEnd(String line, int start) {
        if (start < line.length() && (line.charAt(start) == '"' || line.charAt(start) == '\'')) {
            char quote = line.charAt(start);
            for (int i = start + 1; i < line.length(); i++) {
                if (quote == '"' && line.charAt(i) == '\\') {
                    i++;
                } else if (line.charAt(i) == quote) {
                    return i + 1;
                }
            }
            return line.length();
        }
        int end = start;
        while (end < line.length() && "#,}".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    TomlLines insert(int index, List<String> inserted) {
        List<String> out = new ArrayList<>(lines);
        out.addAll(index, inserted);
        return new TomlLines(out, newline, finalNewline || index == lines.size());
    }

    /** Removes lines {@code from} (inclusive) to {@code to} (exclusive). */
    TomlLines remove(int from, int to) {
        List<String> out = new ArrayList<>(lines);
        out.subList(from, to).clear();
        return new TomlLines(out, newline, finalNewline);
    }

    /** A TOML literal for a string or an integer. */
    static String literal(Object value) {
        if (value instanceof Number number) {
            return String.valueOf(number.longValue());
        }
        return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
