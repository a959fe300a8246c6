package io.convey.engine;

import io.convey.config.ConveyConfig;
import io.convey.config.Problem;
import io.convey.stats.StatsRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** The forwarding half of the appliance (proxy or packet), driven by the engine's writer. */
interface DataPlane extends AutoCloseable {
    /**
     * Makes the listeners match {@code next} (bind new and moved frontends, unbind removed ones). On any
     * failure it restores {@code previous}'s listeners and returns the problems; the engine then keeps the
     * old state.
     */
    List<Problem> reconcile(ConveyConfig previous, ConveyConfig next);

    /** Called after every state swap (config or health), for data planes that cache routing tables. */
    default void stateChanged(EngineState state) {}

    /** Brings counters kept by the data plane itself into the registry; called once a second before sampling. */
    default void syncCounters(StatsRegistry stats) {}

    /** Mode-specific numbers for /stats and the API (transport, drops, flow table size...). */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** The address a frontend's listener is bound to (port 0 resolved), or null when not bound. */
    default InetSocketAddress boundAddress(String frontend) {
        return null;
    }

    @Override
    void close();
}
