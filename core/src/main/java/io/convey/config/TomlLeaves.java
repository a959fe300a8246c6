package io.convey.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/** A parsed document flattened to path → value, used to prove that an edit changed only what it meant to. */
final class TomlLeaves {

    /** Stands for a table without keys, which has no leaves of its own but still exists. */
    enum Marker { EMPTY_TABLE }

    private TomlLeaves() {
    }

    static Map<List<String>, Object> of(TomlTable table) {
        Map<List<String>, Object> leaves = new LinkedHashMap<>();
        collect(table, List.of(), leaves);
        return leaves;
    }

    private static void collect(TomlTable table, List<String> prefix, Map<List<String>, Object> leaves) {
        for (String key : table.keySet()) {
            List<String> path = TomlOutline.concat(prefix, List.of(key));
            // get(List) rather than get(String): a key may itself contain dots.
            switch (table.get(List.of(key))) {
                case TomlTable t when t.isEmpty() -> leaves.put(path, Marker.EMPTY_TABLE);
                case TomlTable t -> collect(t, path, leaves);
                case TomlArray a -> leaves.put(path, a.toJson());
                case Object value -> leaves.put(path, value);
            }
        }
    }

    /**
     * The paths whose values differ, as "path: expected → actual". Tables above the edited path may become
     * empty or stop being empty as a side effect of the edit, so their markers are not compared.
     */
    static List<String> differences(Map<List<String>, Object> expected, Map<List<String>, Object> actual,
                                    List<String> edited) {
        Set<List<String>> paths = new LinkedHashSet<>(expected.keySet());
        paths.addAll(actual.keySet());
        List<String> problems = new ArrayList<>();
        for (List<String> path : paths) {
            boolean aboveEdit = path.size() < edited.size() && TomlOutline.startsWith(edited, path);
            Object want = expected.get(path);
            Object got = actual.get(path);
            if (aboveEdit && (want == Marker.EMPTY_TABLE || got == Marker.EMPTY_TABLE)) {
                continue;
            }
            if (!Objects.equals(want, got)) {
                problems.add(Toml.joinKeyPath(path) + ": " + describe(want) + " → " + describe(got));
            }
        }
        return problems;
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "absent";
            case Marker m -> "{}";
            case String s -> TomlLiterals.basicString(s);
            default -> value.toString();
        };
    }
}
