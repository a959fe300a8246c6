package io.convey.console.editor;

import java.util.ArrayList;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * A config file as the form editor sees it: parsed with tomlj into pools, servers and frontends, and edited by
 * changing only the lines an edit concerns, so comments and layout stay as the operator wrote them.
 *
 * <p>Not shared with the engine's comment-preserving {@code io.convey.config.TomlEditor}: the console speaks to
 * appliances only through the admin API and must not depend on the engine module. The form needs few edits (a
 * server's weight, state and addr, a frontend's listen_addr and backend, adding or removing a server table),
 * which tomlj's key positions and a few line edits cover. Whether the result is a valid configuration is the
 * appliance's to say ({@code POST /api/v1/config/validate}).
 */
public final class ConfigText {
    /** One server as written in the file; weight and state show the defaults when the file leaves them out. */
    public record ServerRow(String pool, String name, String addr, String weight, String state) {
    }

    /** One frontend as written in the file. */
    public record FrontendRow(String name, String listenAddr, String backend) {
    }

    private final TomlLines lines;
    private final TomlParseResult toml;

    private ConfigText(String text) {
        this.lines = TomlLines.of(text);
        this.toml = Toml.parse(text);
    }

    public static ConfigText parse(String text) {
        return new ConfigText(text);
    }

    /** Syntax errors, one line each; the form shows nothing else while there are any. */
    public List<String> errors() {
        return toml.errors().stream().map(e -> "line " + e.position().line() + ": " + e.getMessage()).toList();
    }

    public List<String> pools() {
        TomlTable backends = toml.getTable("backends");
        return backends == null ? List.of() : List.copyOf(backends.keySet());
    }

    public List<ServerRow> servers(String pool) {
        TomlTable servers = toml.getTable(Toml.joinKeyPath(List.of("backends", pool, "servers")));
        List<ServerRow> rows = new ArrayList<>();
        if (servers != null) {
            for (String name : servers.keySet()) {
                TomlTable s = servers.getTable(Toml.joinKeyPath(List.of(name)));
                rows.add(new ServerRow(pool, name, value(s, "addr", ""), value(s, "weight", "1"),
                        value(s, "state", "enabled")));
            }
        }
        return rows;
    }

    public List<FrontendRow> frontends() {
        TomlTable frontends = toml.getTable("frontends");
        List<FrontendRow> rows = new ArrayList<>();
        if (frontends != null) {
            for (String name : frontends.keySet()) {
                TomlTable f = frontends.getTable(Toml.joinKeyPath(List.of(name)));
                rows.add(new FrontendRow(name, value(f, "listen_addr", ""), value(f, "backend", "")));
            }
        }
        return rows;
    }

    private static String value(TomlTable table, String key, String absent) {
        Object value = table == null ? null : table.get(key);
        return value == null ? absent : String.valueOf(value);
    }

    /**
     * The text with the value at {@code path} set to {@code value} (a String or a Number): the value on its line
     * is replaced, or a {@code key = value} line is added at the end of its table.
     *
     * @throws IllegalArgumentException when the key is missing and its table has no [header] of its own
     */
    public String set(List<String> path, Object value) {
        String literal = TomlLines.literal(value);
        String dotted = Toml.joinKeyPath(path);
        if (toml.contains(dotted)) {
            TomlPosition at = toml.inputPositionOf(dotted);
            return lines.replaceValue(at.line() - 1, at.column() - 1, literal).text();
        }
        List<String> table = path.subList(0, path.size() - 1);
        int header = lines.headerOf(table).orElseThrow(() -> new IllegalArgumentException(Toml.joinKeyPath(table)
                + ": not a [table] of its own (expected: a table the form can add a key to; edit it as text)"));
        int last = lines.lastContentLine(header);
        String line = lines.indent(last) + Toml.joinKeyPath(List.of(path.getLast())) + " = " + literal;
        return lines.insert(last + 1, List.of(line)).text();
    }

    /** The text with a new server table after the pool's last table, indented like the pool's other servers. */
    public String addServer(String pool, String name, String addr, long weight) {
        List<String> path = List.of("backends", pool, "servers", name);
        if (!toml.isTable(Toml.joinKeyPath(List.of("backends", pool)))) {
            throw new IllegalArgumentException("backends." + pool + ": not found (expected: a pool)");
        }
        if (toml.contains(Toml.joinKeyPath(path))) {
            throw new IllegalArgumentException(Toml.joinKeyPath(path) + ": already exists (expected: a new name)");
        }
        int lastHeader = -1;
        String indent = null;
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = TomlLines.header(lines.line(i)).orElse(List.of());
            if (header.size() >= 2 && header.subList(0, 2).equals(List.of("backends", pool))) {
                lastHeader = i;
                if (header.size() == 4 && header.get(2).equals("servers")) {
                    indent = lines.indent(i);
                }
            }
        }
        if (lastHeader < 0) {
            throw new IllegalArgumentException("backends." + pool + ": not a [table] of its own (expected: a table the "
                    + "form can add a server after; edit it as text)");
        }
        String in = indent == null ? lines.indent(lastHeader) : indent;
        List<String> table = List.of("", in + "[" + Toml.joinKeyPath(path) + "]", in + "addr = " + TomlLines.literal(addr),
                in + "weight = " + weight);
        return lines.insert(lines.lastContentLine(lastHeader) + 1, table).text();
    }

    /** The text without the server's table, the comments right above it and one blank line before them. */
    public String removeServer(String pool, String name) {
        List<String> path = List.of("backends", pool, "servers", name);
        int header = lines.headerOf(path).orElseThrow(() -> new IllegalArgumentException(Toml.joinKeyPath(path)
                + ": not a [table] of its own (expected: a server table the form can remove; edit it as text)"));
        int end = lines.lastContentLine(header) + 1;
        int start = header;
        while (start > 0 && lines.line(start - 1).strip().startsWith("#")) {
            start--;
        }
        if (start > 0 && lines.line(start - 1).isBlank()) {
            start--;
        }
        return lines.remove(start, end).text();
    }

    /** The key path of a pool's server field, as problems and edits name it. */
    public static List<String> serverPath(String pool, String server, String key) {
        return List.of("backends", pool, "servers", server, key);
    }

    /** The key path of a frontend field. */
    public static List<String> frontendPath(String frontend, String key) {
        return List.of("frontends", frontend, key);
    }
}
