package io.convey.engine;

import io.convey.config.ConveyConfig;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a data-plane thread needs to route a new connection or flow, as one immutable snapshot.
 * Readers read {@link Engine#state()} once per new connection; the engine's writer swaps it whole.
 *
 * @param version config version: increases with every applied configuration, not with health changes
 */
record EngineState(long version, ConveyConfig config, Map<String, PoolRuntime> pools, Instant appliedAt) {
    public EngineState {
        pools = Map.copyOf(pools);
    }

    PoolRuntime poolOfFrontend(String frontend) {
        var fe = config.frontends().get(frontend);
        return fe == null ? null : pools.get(fe.backend());
    }

    /** The SNI map's pool for that server name, else the frontend's backend. */
    PoolRuntime poolOfFrontend(String frontend, String serverName) {
        var fe = config.frontends().get(frontend);
        return fe == null ? null : pools.get(fe.preamble().poolFor(serverName, fe.backend()));
    }
}
