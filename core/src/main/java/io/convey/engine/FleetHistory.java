package io.convey.engine;

import io.convey.cluster.Fleet;
import io.convey.config.ConfigEditException;
import io.convey.config.ConfigHistory;
import io.convey.config.VersionHistory;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A fleet's recorded changes as the API's history: {@code id} and {@code config_version} are the etcd revision. */
final class FleetHistory implements VersionHistory {
    private final Fleet fleet;
    private final Function<IOException, ConfigEditException> unavailable;

    FleetHistory(Fleet fleet, Function<IOException, ConfigEditException> unavailable) {
        this.fleet = fleet;
        this.unavailable = unavailable;
    }

    @Override
    public List<ConfigHistory.Entry> entries() throws ConfigEditException {
        try {
            return fleet.history().stream().map(e -> new ConfigHistory.Entry(e.revision(), e.revision(), e.change().at(),
                    e.change().source(), e.change().summary(), e.change().by())).toList();
        } catch (IOException e) {
            throw unavailable.apply(e);
        }
    }

    @Override
    public Optional<String> text(long id) throws ConfigEditException {
        try {
            return fleet.textAt(id);
        } catch (IOException e) {
            throw unavailable.apply(e);
        }
    }
}
