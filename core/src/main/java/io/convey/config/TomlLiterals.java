package io.convey.config;

import java.util.List;
import java.util.stream.Collectors;

/** Writes keys and scalar values as TOML text and normalises Java values to the types tomlj reads back. */
final class TomlLiterals {

    private TomlLiterals() {
    }

    static boolean isBareKeyChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** A dotted key with each part bare when TOML allows it and a basic string otherwise. */
    static String key(List<String> parts) {
        return parts.stream().map(TomlLiterals::simpleKey).collect(Collectors.joining("."));
    }

    private static String simpleKey(String part) {
        boolean bare = !part.isEmpty() && part.chars().allMatch(c -> isBareKeyChar((char) c));
        return bare ? part : basicString(part);
    }

    /** The TOML text of a String, Long, Integer, Short, Byte, Boolean, Double or Float value. */
    static String value(Object value) {
        return switch (normalize(value)) {
            case String s -> basicString(s);
            case Double d when d.isNaN() -> "nan";
            case Double d when d.isInfinite() -> d > 0 ? "inf" : "-inf";
            case Object other -> other.toString();
        };
    }

    /** The value as tomlj returns it after parsing: Long for integers, Double for floats. */
    static Object normalize(Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("value: null (expected: String, Long, Integer, Boolean or Double)");
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            // Float.toString keeps the short decimal form (0.1f → "0.1") rather than the widened binary value.
            case Float f -> Double.parseDouble(f.toString());
            default -> throw new IllegalArgumentException(
                    "value: " + value.getClass().getSimpleName() + " (expected: String, Long, Integer, Boolean or Double)");
        };
    }

    /** An array of basic strings: inline for up to four values, else one value per line, indented by four spaces. */
    static String stringArray(List<String> values, String newline) {
        if (values.size() <= 4) {
            return values.stream().map(TomlLiterals::basicString).collect(Collectors.joining(", ", "[", "]"));
        }
        return values.stream().map(v -> "    " + basicString(v) + ",").collect(Collectors.joining(newline,
                "[" + newline, newline + "]"));
    }

    /** A TOML basic string: quotes, backslashes and control characters escaped (TOML 1.0, "String"). */
    static String basicString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
