package io.convey.config;

import io.convey.config.TomlOutline.Header;
import io.convey.config.TomlOutline.KeyLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Edits TOML text surgically: only the touched lines change; comments, order, blank lines and formatting of
 * everything else stay byte-identical.
 *
 * <p>Hand-written because no maintained Java library edits TOML in place: tomlj (used for reading) cannot
 * edit and its {@code toToml()} drops comments; night-config keeps comments but re-serialises and moves them;
 * jackson-dataformat-toml drops them; TOMLy re-serialises from its own comment model. The editor finds keys
 * with tomlj's {@code inputPositionOf}, finds tables and line boundaries with {@link TomlOutline}, changes
 * whole lines (or a single value token), then re-parses the result. An edit is kept only if the re-parsed
 * document equals the old one except for the edited path; otherwise it throws and the text stays as it was.
 *
 * <p>Layout rules: a new key goes after the last key of its table with that key's indentation; a new table
 * goes after the last table of its nearest ancestor that has tables, copying the indentation of its sibling
 * tables and the blank line before them, if any. Tables defined with dotted keys ({@code servers.s1.weight = 3}
 * under {@code [backends.web]}) get new keys as dotted keys too. Removing a table removes its header, keys and
 * sub-tables, the dotted keys that define it, the comment lines directly above its header (no blank line
 * between: such a comment describes that table) and those right after its last key (up to a blank line);
 * one of two blank lines that would become adjacent goes too.
 *
 * <p>Not supported (a {@link TomlEditException} is thrown, the text is unchanged): adding keys inside or
 * removing keys from an inline table or array (replacing a scalar inside an inline table works), editing
 * through an array of tables, and replacing a table or array with a scalar. Not thread-safe.
 */
public final class TomlEditor {

    private String text;
    private TomlParseResult parsed;
    private TomlOutline outline;
    private final String newline;

    /** Reads the text; throws {@link TomlEditException} with the parse errors if it is not valid TOML. */
    public TomlEditor(String text) {
        Objects.requireNonNull(text, "text");
        this.parsed = parse(text, "text");
        this.text = text;
        this.outline = TomlOutline.scan(text);
        int firstNewline = text.indexOf('\n');
        this.newline = firstNewline > 0 && text.charAt(firstNewline - 1) == '\r' ? "\r\n" : "\n";
    }

    /**
     * Sets (adds or replaces) a scalar value at a dotted key path, e.g. List.of("backends","web","servers","s1","weight") = 5.
     * Value: String, Long/Integer, Boolean, Double. Replaces only the value token if the key exists (keeps
     * spacing and a trailing comment on that line); otherwise inserts {@code key = value} after the last key
     * line of the owning table (matching the indentation of sibling keys), creating the table header
     * {@code [a.b.c]} at a sensible place (after the last table of its parent) if the table does not exist.
     */
    public TomlEditor set(List<String> path, Object value) {
        checkPath(path);
        Object normalized = TomlLiterals.normalize(value);
        String literal = TomlLiterals.value(normalized);
        Object current = parsed.get(path);
        String next = current == null ? insertKey(path, literal) : replaceValue(path, current, literal);
        commit(next, path, expected -> expected.put(path, normalized));
        return this;
    }

    /**
     * Sets (adds or replaces) an array of strings at a key path, e.g. a frontend's {@code allow} list: on one line
     * for up to four values, else one value per line. An existing array or scalar value is replaced as a whole
     * (comments inside a replaced multi-line array go with it).
     */
    public TomlEditor setStrings(List<String> path, List<String> values) {
        checkPath(path);
        String literal = TomlLiterals.stringArray(values, newline);
        Object leaf = parse("x = " + literal, "array").getArray("x").toJson();
        Object current = parsed.get(path);
        if (current instanceof TomlTable) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": is a table (expected: a key with an array value)");
        }
        String next = current == null ? insertKey(path, literal) : replaceToken(path, literal);
        commit(next, path, expected -> expected.put(path, leaf));
        return this;
    }

    /**
     * Removes a key line, or a whole table (its header, its keys, and all its sub-tables), e.g.
     * List.of("backends","web","servers","s1"). Comment lines directly above a removed table header and right
     * after its last key go with it; comments anywhere else stay. Where the removal would leave two blank lines
     * in a row, one of them goes too. Throws {@link TomlEditException} if the path does not exist.
     */
    public TomlEditor remove(List<String> path) {
        checkPath(path);
        if (parsed.get(path) == null) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": not found (expected: an existing key or table)");
        }
        Optional<KeyLine> holder = outline.valueHolding(path);
        if (holder.isPresent() && !holder.get().path().equals(path)) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": inside the inline value of "
                    + Toml.joinKeyPath(holder.get().path()) + " (expected: a key on its own line or a table)");
        }
        commit(LineRemoval.of(outline, path).apply(), path,
                expected -> expected.keySet().removeIf(k -> TomlOutline.startsWith(k, path)));
        return this;
    }

    /**
     * Adds a table with the given scalar keys (ordered), e.g. a new server: path backends.web.servers.s4,
     * {addr: "...", weight: 3}; placed after the last sibling table, with the siblings' indentation.
     */
    public TomlEditor addTable(List<String> path, LinkedHashMap<String, Object> values) {
        checkPath(path);
        Objects.requireNonNull(values, "values");
        if (parsed.get(path) != null) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": already exists (expected: a new table)");
        }
        requireTableAncestors(path);
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        Map<List<String>, Object> intended = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            Object normalized = TomlLiterals.normalize(value);
            entries.add(Map.entry(key, TomlLiterals.value(normalized)));
            intended.put(TomlOutline.concat(path, List.of(key)), normalized);
        });
        commit(insertTable(path, entries), path, expected -> {
            expected.putAll(intended);
            if (intended.isEmpty()) {
                expected.put(path, TomlLeaves.Marker.EMPTY_TABLE);
            }
        });
        return this;
    }

    /** Whether a key or table exists at the path in the current text. */
    public boolean has(List<String> path) {
        checkPath(path);
        return parsed.get(path) != null;
    }

    /** The current text. */
    public String text() {
        return text;
    }

    /** Re-parses the result and returns the tomlj parse result; throws {@link TomlEditException} on parse errors. */
    public TomlParseResult verify() {
        return parse(text, "text");
    }

    private String replaceValue(List<String> path, Object current, String literal) {
        if (current instanceof TomlTable || current instanceof TomlArray) {
            String kind = current instanceof TomlTable ? "table" : "array";
            throw new TomlEditException(Toml.joinKeyPath(path) + ": is a " + kind + " (expected: a key with a scalar value)");
        }
        return replaceToken(path, literal);
    }

    private String replaceToken(List<String> path, String literal) {
        TomlPosition position = parsed.inputPositionOf(path);
        TomlCursor cursor = new TomlCursor(text, outline.offsetOf(position.line(), position.column()));
        List<String> key = cursor.readKey();
        if (key.size() > path.size() || !path.subList(path.size() - key.size(), path.size()).equals(key)) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": line " + position.line() + " holds key "
                    + Toml.joinKeyPath(key) + " (expected: the end of the path)");
        }
        cursor.expect('=');
        cursor.skipBlanks();
        int start = cursor.pos();
        cursor.skipValue();
        return text.substring(0, start) + literal + text.substring(cursor.pos());
    }

    private String insertKey(List<String> path, String literal) {
        requireTableAncestors(path);
        List<String> parent = path.subList(0, path.size() - 1);
        List<String> name = List.of(path.getLast());
        int section = outline.headerIndex(parent);
        if (section >= 0 || parent.isEmpty()) {
            return insertInSection(section, name, literal);
        }
        Optional<KeyLine> dotted = lastDottedKeyThrough(parent);
        if (dotted.isPresent()) {
            KeyLine anchor = dotted.get();
            List<String> key = path.subList(outline.sectionPath(anchor.section()).size(), path.size());
            return insertAt(anchor.end(), keyLine(anchor.indent(), key, literal));
        }
        if (parsed.get(parent) != null) {
            return insertHeaderAboveSubtables(parent, name, literal);
        }
        return insertTable(parent, List.of(Map.entry(name.getFirst(), literal)));
    }

    private String insertInSection(int section, List<String> name, String literal) {
        List<KeyLine> own = outline.keysOf(section);
        // After the table's last plain key: dotted keys after it describe sub-tables and stay grouped.
        Optional<KeyLine> anchor = own.stream().filter(k -> k.key().size() == 1).reduce((a, b) -> b)
                .or(() -> own.stream().reduce((a, b) -> b));
        if (anchor.isPresent()) {
            return insertAt(anchor.get().end(), keyLine(anchor.get().indent(), name, literal));
        }
        if (section >= 0) {
            Header header = outline.headers().get(section);
            return insertAt(header.end(), keyLine(header.indent(), name, literal));
        }
        if (outline.headers().isEmpty()) {
            return insertAt(text.length(), keyLine("", name, literal));
        }
        return insertAt(outline.attachedStart(outline.headers().getFirst()), keyLine("", name, literal) + newline);
    }

    /** The table exists only because sub-tables have headers: give it its own header above the first of them. */
    private String insertHeaderAboveSubtables(List<String> table, List<String> name, String literal) {
        List<Header> headers = outline.headers();
        int first = 0;
        while (first < headers.size() && !TomlOutline.startsWith(headers.get(first).path(), table)) {
            first++;
        }
        if (first == headers.size()) {
            throw new TomlEditException(Toml.joinKeyPath(table) + ": defined in a way the editor cannot place keys in"
                    + " (expected: a table with a [header] or dotted keys)");
        }
        Header anchor = headers.get(first);
        String block = anchor.indent() + "[" + TomlLiterals.key(table) + "]" + newline
                + keyLine(outline.keyIndent(first), name, literal);
        return insertAt(outline.attachedStart(anchor), block);
    }

    private String insertTable(List<String> path, List<Map.Entry<String, String>> entries) {
        List<String> parent = path.subList(0, path.size() - 1);
        Optional<KeyLine> dotted = lastDottedKeyThrough(parent);
        boolean subtableHeaders = outline.headers().stream()
                .anyMatch(h -> h.path().size() > parent.size() && TomlOutline.startsWith(h.path(), parent));
        if (dotted.isPresent() && !subtableHeaders) {
            return insertDottedTable(dotted.get(), path, entries);
        }
        return TablePlacement.of(outline, path).insert(this, path, entries);
    }

    private String insertDottedTable(KeyLine anchor, List<String> path, List<Map.Entry<String, String>> entries) {
        if (entries.isEmpty()) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": an empty table cannot be written as dotted keys"
                    + " (expected: at least one value)");
        }
        List<String> base = path.subList(outline.sectionPath(anchor.section()).size(), path.size());
        StringBuilder block = new StringBuilder();
        for (Map.Entry<String, String> entry : entries) {
            block.append(keyLine(anchor.indent(), TomlOutline.concat(base, List.of(entry.getKey())), entry.getValue()));
        }
        return insertAt(anchor.end(), block.toString());
    }

    /** The last dotted key that passes through {@code table} from a section above it, e.g. servers.s1.addr. */
    private Optional<KeyLine> lastDottedKeyThrough(List<String> table) {
        return outline.keys().stream()
                .filter(k -> k.path().size() > table.size() && TomlOutline.startsWith(k.path(), table)
                        && outline.sectionPath(k.section()).size() < table.size())
                .reduce((a, b) -> b);
    }

    String tableBlock(boolean blankBefore, String headerIndent, String keyIndent, List<String> path,
                      List<Map.Entry<String, String>> entries) {
        StringBuilder block = new StringBuilder(blankBefore ? newline : "");
        block.append(headerIndent).append('[').append(TomlLiterals.key(path)).append(']').append(newline);
        entries.forEach(e -> block.append(keyLine(keyIndent, List.of(e.getKey()), e.getValue())));
        return block.toString();
    }

    private String keyLine(String indent, List<String> key, String literal) {
        return indent + TomlLiterals.key(key) + " = " + literal + newline;
    }

    String insertAt(int offset, String block) {
        boolean unterminated = offset == text.length() && !text.isEmpty() && !text.endsWith("\n");
        return text.substring(0, offset) + (unterminated ? newline : "") + block + text.substring(offset);
    }

    private void requireTableAncestors(List<String> path) {
        for (int n = 1; n < path.size(); n++) {
            List<String> prefix = path.subList(0, n);
            Object value = parsed.get(prefix);
            if (value == null) {
                return;
            }
            if (!(value instanceof TomlTable)) {
                throw new TomlEditException(Toml.joinKeyPath(prefix) + ": is "
                        + (value instanceof TomlArray ? "an array" : "a value") + " (expected: a table)");
            }
            if (outline.valueHolding(prefix).isPresent()) {
                throw new TomlEditException(Toml.joinKeyPath(prefix) + ": is an inline table, adding keys to it is not"
                        + " supported (expected: a table with a [header] or dotted keys)");
            }
        }
    }

    private void commit(String next, List<String> path, Consumer<Map<List<String>, Object>> intendedChange) {
        TomlParseResult result = parse(next, Toml.joinKeyPath(path) + ": edited text");
        Map<List<String>, Object> expected = TomlLeaves.of(parsed);
        intendedChange.accept(expected);
        List<String> differences = TomlLeaves.differences(expected, TomlLeaves.of(result), path);
        if (!differences.isEmpty()) {
            throw new TomlEditException(Toml.joinKeyPath(path) + ": edit not applied, it would change other values"
                    + " (expected: only this path to change)", differences);
        }
        text = next;
        parsed = result;
        outline = TomlOutline.scan(next);
    }

    private static TomlParseResult parse(String text, String subject) {
        TomlParseResult result = Toml.parse(text);
        if (result.hasErrors()) {
            throw new TomlEditException(subject + ": not valid TOML",
                    result.errors().stream().map(TomlParseError::toString).toList());
        }
        return result;
    }

    private static void checkPath(List<String> path) {
        if (path == null || path.isEmpty() || path.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("path: " + path + " (expected: one or more keys)");
        }
    }
}
