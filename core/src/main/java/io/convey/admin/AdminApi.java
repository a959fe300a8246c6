package io.convey.admin;

import io.convey.config.ConfigHistory;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The admin REST API of docs/api.md, installed on the {@link AdminServer}: access guard, error mapping and
 * the route sets (reads, edits, whole-file operations, events, charts, OpenAPI description).
 */
public final class AdminApi {
    private final Engine engine;
    private final ConfigEditor editor;
    private final ConfigHistory history;
    private final Path configFile;
    private final Predicate<InetAddress> trustedWriters;
    private final String version;

    /**
     * @param trustedWriters addresses whose writes need no token; {@link InetAddress#isLoopbackAddress} in production
     * @param version        the appliance's version, for status and the OpenAPI document
     */
    public AdminApi(Engine engine, ConfigEditor editor, ConfigHistory history, Path configFile,
            Predicate<InetAddress> trustedWriters, String version) {
        this.engine = engine;
        this.editor = editor;
        this.history = history;
        this.configFile = configFile;
        this.trustedWriters = trustedWriters;
        this.version = version;
    }

    /** Adds the API's routes to {@code server} (before it starts); the event stream closes with the server. */
    public void install(AdminServer server) {
        AccessGuard guard = new AccessGuard(trustedWriters, () -> engine.config().admin().tokenFile());
        RecentEvents recent = new RecentEvents();
        EventRoutes events = new EventRoutes(engine, server.mapper(), recent);
        server.closeWith(events);
        server.addRoutes(cfg -> {
            cfg.routes.before(guard);
            ApiErrors.install(cfg);
            new OpenApi(version).register(cfg);
            new ReadRoutes(engine, editor, configFile, version).register(cfg);
            new EditRoutes(engine, editor, server.mapper()).register(cfg);
            new ConfigRoutes(engine, editor, history, server.mapper()).register(cfg);
            events.register(cfg);
            new ChartRoutes(engine, recent).register(cfg);
        });
    }
}
