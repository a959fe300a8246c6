package io.convey.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A read position in TOML text with the few lexing steps the editor needs.
 *
 * <p>The text has already been accepted by tomlj, so the cursor only has to find where tokens end, not
 * to report every syntax error; anything unexpected still fails loudly rather than guessing.
 */
final class TomlCursor {

    private static final Pattern LOCAL_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final String text;
    private int pos;

    TomlCursor(String text, int pos) {
        this.text = text;
        this.pos = pos;
    }

    int pos() {
        return pos;
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    void skipBlanks() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    /** True at a newline, a comment or the end of the text. */
    boolean atLineEnd() {
        return atEnd() || peek() == '\n' || peek() == '\r' || peek() == '#';
    }

    /** Moves past the rest of the line, including its comment and line terminator. */
    void skipLine() {
        int newline = text.indexOf('\n', pos);
        pos = newline < 0 ? text.length() : newline + 1;
    }

    void expect(char c) {
        if (peek() != c) {
            throw unexpected("'" + c + "'");
        }
        pos++;
    }

    /** Reads a possibly dotted key and returns its unquoted parts, e.g. {@code a."b.c"} gives [a, b.c]. */
    List<String> readKey() {
        List<String> parts = new ArrayList<>();
        while (true) {
            skipBlanks();
            parts.add(readSimpleKey());
            skipBlanks();
            if (peek() != '.') {
                return parts;
            }
            pos++;
        }
    }

    private String readSimpleKey() {
        char c = peek();
        if (c == '"') {
            return readBasicString();
        }
        if (c == '\'') {
            int end = text.indexOf('\'', pos + 1);
            String key = text.substring(pos + 1, end);
            pos = end + 1;
            return key;
        }
        int start = pos;
        while (!atEnd() && TomlLiterals.isBareKeyChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw unexpected("a key");
        }
        return text.substring(start, pos);
    }

    private String readBasicString() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (peek() != '"') {
            char c = text.charAt(pos++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case 'b' -> out.append('\b');
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'f' -> out.append('\f');
                case 'r' -> out.append('\r');
                case 'u', 'U' -> {
                    int digits = e == 'u' ? 4 : 8;
                    out.appendCodePoint(Integer.parseInt(text.substring(pos, pos + digits), 16));
                    pos += digits;
                }
                default -> out.append(e);
            }
        }
        pos++;
        return out.toString();
    }

    /** Moves past one value of any kind: string, number, boolean, date-time, array or inline table. */
    void skipValue() {
        char c = peek();
        if (c == '"' || c == '\'') {
            skipString();
        } else if (c == '[' || c == '{') {
            skipBracketed();
        } else {
            int start = pos;
            skipBareToken();
            // An offset date-time may separate date and time with a space (TOML 1.0, "Offset Date-Time").
            if (LOCAL_DATE.matcher(text.substring(start, pos)).matches() && peek() == ' '
                    && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1))) {
                pos++;
                skipBareToken();
            }
            if (start == pos) {
                throw unexpected("a value");
            }
        }
    }

    private void skipBareToken() {
        while (!atEnd() && " \t\r\n,]}#".indexOf(peek()) < 0) {
            pos++;
        }
    }

    private void skipString() {
        char quote = peek();
        String triple = String.valueOf(quote).repeat(3);
        boolean multiline = text.startsWith(triple, pos);
        pos += multiline ? 3 : 1;
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (c == '\\' && quote == '"') {
                pos += 2;
            } else if (multiline && text.startsWith(triple, pos)) {
                pos += 3;
                // Up to two quotes may end the content right before the closing delimiter.
                for (int extra = 0; extra < 2 && peek() == quote; extra++) {
                    pos++;
                }
                return;
            } else if (!multiline && c == quote) {
                pos++;
                return;
            } else {
                pos++;
            }
        }
        throw unexpected("the end of a string");
    }

    private void skipBracketed() {
        int depth = 0;
        while (!atEnd()) {
            char c = peek();
            if (c == '"' || c == '\'') {
                skipString();
                continue;
            }
            if (c == '#') {
                int newline = text.indexOf('\n', pos);
                pos = newline < 0 ? text.length() : newline;
                continue;
            }
            pos++;
            if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                return;
            }
        }
        throw unexpected("a closing bracket");
    }

    private TomlEditException unexpected(String expected) {
        int line = 1 + (int) text.substring(0, Math.min(pos, text.length())).chars().filter(c -> c == '\n').count();
        return new TomlEditException("line " + line + ": cannot read TOML text (expected: " + expected + ")");
    }
}
