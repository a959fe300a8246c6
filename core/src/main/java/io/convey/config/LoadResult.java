package io.convey.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of loading a config: the config when it is valid, and every problem found (warnings included), in
 * the order they appear (by file, then line; problems without a line first).
 */
public record LoadResult(Optional<ConveyConfig> config, List<Problem> problems) {
    public LoadResult {
        problems = problems.stream() // a stable sort: problems of one line keep the order they were found in
                .sorted(Comparator.comparing(Problem::file).thenComparingInt(Problem::line))
                .toList();
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
