package io.convey.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of loading a config: the config when it is valid, and every problem found (warnings included), in
 * the order they appear (by file, then line; problems without a line first).
 */
public record LoadResult(Optional<ConveyConfig> config, List<Problem> problems) {
    /** By file, then line; a stable sort keeps problems of one line in the order they were found in. */
    public static final Comparator<Problem> LINE_ORDER = Comparator.comparing(Problem::file).thenComparingInt(Problem::line);

    public LoadResult {
        problems = problems.stream().sorted(LINE_ORDER).toList();
    }

    /** The warnings only (unknown keys, keys no longer used). */
    public List<Problem> warnings() {
        return problems.stream().filter(Problem::warning).toList();
    }

    public boolean ok() {
        return config.isPresent();
    }

    public List<Problem> errors() {
        return problems.stream().filter(p -> !p.warning()).toList();
    }
}
