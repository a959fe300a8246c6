package io.convey.admin;

import io.convey.engine.Engine;
import io.convey.engine.PoolView;
import io.javalin.config.JavalinConfig;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code GET /api/v1/stats/servers.csv}: one line per server with what {@code GET /api/v1/backends} says of it, for a
 * spreadsheet or a script, as HAProxy's stats page offers its CSV.
 */
final class CsvRoutes {
    /** The columns, in the order of the API's server objects (bytes_tx before bytes_rx, as everywhere). */
    static final List<String> COLUMNS = List.of("pool", "server", "addr", "weight", "state", "eligible", "health",
            "active_connections", "peak_connections", "total_connections", "bytes_tx", "bytes_rx", "connect_errors",
            "connect_timeouts", "retries", "state_since", "in_state_s", "downtime_s", "flaps_last_hour", "last_check",
            "latency_ms", "last_error");

    private final Engine engine;

    CsvRoutes(Engine engine) {
        this.engine = engine;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/stats/servers.csv", ctx -> ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"convey-servers.csv\"")
                .result(csv(engine.pools(), Instant.now())), Access.VIEWER);
    }

    static String csv(List<PoolView> pools, Instant now) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (PoolView pool : pools) {
            for (PoolView.ServerView view : pool.servers()) {
                Views.Server s = Views.Server.of(view, now);
                Views.Health h = s.health();
                out.append(Stream.of(pool.config().name(), s.name(), s.addr(), s.weight(), s.state(), s.eligible(),
                        !h.checked() ? "unchecked" : h.up() ? "up" : "down", s.activeConnections(),
                        s.stats().peakConnections(), s.totalConnections(), s.bytesTx(), s.bytesRx(),
                        s.stats().connectErrors(), s.stats().connectTimeouts(), s.stats().retries(),
                        s.stats().stateSince(), s.stats().inStateS(), s.stats().downtimeS(), h.flapsLastHour(),
                        h.lastCheck(), h.latencyMs(), h.lastError())
                        .map(CsvRoutes::field).collect(Collectors.joining(","))).append("\r\n");
            }
        }
        return out.toString();
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; null is empty. */
    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
