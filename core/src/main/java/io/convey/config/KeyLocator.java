package io.convey.config;

import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Places a problem found after loading (by a check that needs the mode or the host) at its key's line in the file,
 * as the loader places its own: the text is parsed again and tomlj's {@code inputPositionOf} gives the line of the
 * key or, if it is absent, of its nearest table.
 */
public final class KeyLocator {
    private final String fileName;
    private final TomlParseResult root;

    private KeyLocator(String fileName, TomlParseResult root) {
        this.fileName = fileName;
        this.root = root;
    }

    /** A locator for {@code text}, read from {@code fileName}; with no text, problems get line 0. */
    public static KeyLocator of(String fileName, String text) {
        return new KeyLocator(fileName, text == null ? null : Toml.parse(text));
    }

    /** The error at {@code path} (dotted, parts quoted as in problem messages). */
    public Problem error(String path, String message) {
        return Problem.error(fileName, line(path), path, message);
    }

    /** The problem with this locator's file and its key's line, if it had neither. */
    public Problem locate(Problem problem) {
        if (problem.line() > 0) {
            return problem;
        }
        return new Problem(fileName, line(problem.path()), problem.path(), problem.message(), problem.warning());
    }

    private int line(String path) {
        if (root == null || path.isEmpty()) {
            return 0;
        }
        List<String> keys;
        try {
            keys = Toml.parseDottedKey(path);
        } catch (IllegalArgumentException e) {
            return 0;
        }
        for (List<String> p = keys; !p.isEmpty(); p = p.subList(0, p.size() - 1)) {
            var position = root.inputPositionOf(p);
            if (position != null) {
                return position.line();
            }
        }
        return 0;
    }
}
