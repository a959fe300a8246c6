package io.convey.config;

import java.util.List;
import java.util.Optional;

/** The outcome of loading a config: the config when it is valid, and every problem found (warnings included). */
public record LoadResult(Optional<ConveyConfig> config, List<Problem> problems) {
    public LoadResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return config.isPresent();
    }

    public List<Problem> errors() {
        return problems.stream().filter(p -> !p.warning()).toList();
    }
}
