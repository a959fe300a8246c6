package io.convey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convey.announce.Announcer;
import io.convey.engine.Engine;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Maintenance mode ({@code POST /api/v1/maintenance}) and {@code GET /health}, which keepalived's
 * {@code vrrp_script} asks whether this appliance should hold its VIPs.
 */
public final class AnnounceRoutes {
    private final Engine engine;
    private final Announcer announcer;
    private final AdminServer server;

    private AnnounceRoutes(AdminServer server, Engine engine, Announcer announcer) {
        this.server = server;
        this.engine = engine;
        this.announcer = announcer;
    }

    /** Adds the routes to {@code server} (before it starts); {@code announcer} is null when nothing announces. */
    public static void install(AdminServer server, Engine engine, Announcer announcer) {
        AnnounceRoutes routes = new AnnounceRoutes(server, engine, announcer);
        server.addRoutes(routes::register);
        if (announcer != null) {
            server.closeWith(announcer); // withdraws the VIPs before the engine stops
        }
    }

    /** {@code POST /api/v1/maintenance}: whether the appliance is in maintenance now. */
    record Maintenance(boolean maintenance) {}

    /** {@code GET /health}. */
    record Health(boolean serving, boolean maintenance) {}

    private void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/maintenance", this::maintenance, Access.OPERATOR);
        // keepalived's check has no credential; it learns only whether to hold the VIPs.
        cfg.routes.get("/health", this::health, Access.OPEN);
    }

    private void maintenance(Context ctx) throws java.io.IOException {
        ObjectNode body = Requests.object(ctx, server.mapper(), Set.of("on"));
        JsonNode on = body.get("on");
        if (on == null || !on.isBoolean()) {
            throw ApiErrors.badRequest("on", (on == null ? "missing" : on.toString()) + " (expected: true or false)");
        }
        engine.maintenance(on.booleanValue(), AccessGuard.caller(ctx).by());
        ctx.json(new Maintenance(engine.maintenance()));
    }

    /** 200 while this appliance should hold its VIPs, 503 in maintenance or when no VIP has an eligible server. */
    private void health(Context ctx) {
        boolean serving = announcer == null ? !engine.maintenance() : announcer.serving();
        ctx.status(serving ? 200 : 503).json(new Health(serving, engine.maintenance()));
    }
}
