package io.convey.config;

import java.util.List;

/** Thrown when TOML text does not parse or an edit cannot be applied without changing anything else. */
public final class TomlEditException extends RuntimeException {

    private final List<String> problems;

    TomlEditException(String message) {
        this(message, List.of());
    }

    TomlEditException(String message, List<String> problems) {
        super(problems.isEmpty() ? message : message + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The parse errors (with line and column) or the keys an edit would have changed unintentionally. */
    public List<String> problems() {
        return problems;
    }
}
