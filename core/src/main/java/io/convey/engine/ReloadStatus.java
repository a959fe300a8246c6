package io.convey.engine;

import io.convey.config.Problem;
import java.time.Instant;
import java.util.List;

/** The result of the last attempt to apply a configuration, from the file or the API. */
public record ReloadStatus(Instant at, String source, boolean ok, long version, List<Problem> problems) {
    public ReloadStatus {
        problems = List.copyOf(problems);
    }
}
