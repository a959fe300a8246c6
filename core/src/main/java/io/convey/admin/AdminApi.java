package io.convey.admin;

import io.convey.admin.auth.AdminAuth;
import io.convey.config.ConfigHistory;
import io.convey.config.VersionHistory;
import io.convey.engine.FleetSync;
import java.util.Optional;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import java.nio.file.Path;
import java.util.Set;

/**
 * The admin REST API of docs/api.md, installed on the {@link AdminServer}: the access guard, error mapping and
 * the route sets (login and users, reads, edits, whole-file operations, events, charts, OpenAPI description).
 */
public final class AdminApi {
    private final Engine engine;
    private final ConfigEditor editor;
    private VersionHistory history;
    private Optional<FleetSync> fleet = Optional.empty();
    private final Path configFile;
    private final AdminAuth auth;
    private final Set<String> hosts;
    private final String version;

    /**
     * @param hosts   the names and addresses a request's Host header may name
     * @param version the appliance's version, for status and the OpenAPI document
     */
    public AdminApi(Engine engine, ConfigEditor editor, ConfigHistory history, Path configFile, AdminAuth auth,
            Set<String> hosts, String version) {
        this.engine = engine;
        this.editor = editor;
        this.history = history;
        this.configFile = configFile;
        this.auth = auth;
        this.hosts = Set.copyOf(hosts);
        this.version = version;
    }

    /** The configuration is a fleet's: history, diff and rollback work on its revisions, and the fleet view is served. */
    public void followFleet(FleetSync sync) {
        this.fleet = Optional.of(sync);
        this.history = sync.history();
    }

    /** Adds the API's routes to {@code server} (before it starts); the event stream closes with the server. */
    public void install(AdminServer server) {
        AccessGuard guard = new AccessGuard(auth, hosts, () -> engine.config().admin().protectMetrics());
        RecentEvents recent = new RecentEvents();
        EventRoutes events = new EventRoutes(engine, server.mapper(), recent);
        server.closeWith(events);
        server.addRoutes(cfg -> {
            guard.install(cfg);
            ApiErrors.install(cfg);
            new OpenApi(version, server::declaredRoutes).register(cfg);
            new AuthRoutes(auth, server.mapper()).register(cfg);
            new ReadRoutes(engine, editor, configFile, version, fleet).register(cfg);
            new EditRoutes(engine, editor, server.mapper()).register(cfg);
            new TrafficRoutes(engine, editor, server.mapper()).register(cfg);
            new ConfigRoutes(engine, editor, history, server.mapper()).register(cfg);
            events.register(cfg);
            new ChartRoutes(engine, recent).register(cfg);
            new FleetRoutes(fleet).register(cfg);
            new CsvRoutes(engine).register(cfg);
        });
    }
}
