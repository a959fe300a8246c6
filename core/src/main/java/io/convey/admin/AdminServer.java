package io.convey.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.convey.engine.Engine;
import io.convey.engine.PoolView;
import io.convey.stats.StatsDocument;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's HTTP server (Javalin): the original's {@code GET /stats}, Prometheus {@code /metrics},
 * and the admin API routes registered by {@link #addRoutes}. The only code that touches Javalin.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final Engine engine;
    private final ObjectMapper mapper;
    private final List<Consumer<JavalinConfig>> routeSets = new ArrayList<>();
    private final List<String> routes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Javalin app;

    public AdminServer(Engine engine) {
        this.engine = engine;
        this.mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        routeSets.add(this::statsRoutes);
    }

    /** Adds more routes (before {@link #start}). */
    public AdminServer addRoutes(Consumer<JavalinConfig> routes) {
        routeSets.add(routes);
        return this;
    }

    /** Closes {@code resource} when the server closes (just before it stops listening). */
    public AdminServer closeWith(AutoCloseable resource) {
        closeables.add(resource);
        return this;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Starts listening; returns the bound address (port 0 resolved). */
    public InetSocketAddress start(InetSocketAddress address) {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(mapper, false));
            cfg.http.maxRequestSize = Requests.MAX_BODY_BYTES;
            cfg.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    routes.add(h.getHttpMethod().name() + " " + h.getPath());
                }
            });
            // the browser dashboard (module web-admin), packaged into core's classpath
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars(); // the dashboard's chart library, /webjars/uplot/<version>/
            routeSets.forEach(r -> r.accept(cfg));
        }).start(address.getAddress().getHostAddress(), address.getPort());
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), app.port());
        log.info("admin server listening addr={}:{}", address.getAddress().getHostAddress(), app.port());
        return bound;
    }

    private void statsRoutes(JavalinConfig cfg) {
        cfg.routes.get("/stats", ctx -> ctx.json(stats()));
        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics()));
    }

    /** The original's /stats document, plus the mode and config version. */
    public Map<String, Object> stats() {
        List<PoolView> pools = engine.pools();
        List<StatsDocument.PoolHealth> health = pools.stream().map(p -> {
            Map<String, Boolean> servers = new LinkedHashMap<>();
            p.servers().forEach(s -> servers.put(s.addr(), s.up()));
            return new StatsDocument.PoolHealth(p.config().name(), servers);
        }).toList();
        var config = engine.config();
        List<String> frontends = config == null ? List.of() : List.copyOf(config.frontends().keySet());
        Map<String, Object> doc = StatsDocument.build(engine.stats(), frontends, health);
        doc.put("mode", engine.mode().id());
        doc.put("config_version", engine.version());
        doc.putAll(engine.dataPlaneDetails());
        return doc;
    }

    private String metrics() {
        List<PoolView> pools = engine.pools();
        List<StatsDocument.ServerHealth> servers = new ArrayList<>();
        pools.forEach(p -> p.servers().forEach(s -> servers.add(
                new StatsDocument.ServerHealth(p.config().name(), s.name(), s.addr(), s.up()))));
        var config = engine.config();
        List<String> frontends = config == null ? List.of() : List.copyOf(config.frontends().keySet());
        return StatsDocument.prometheus(engine.stats(), frontends,
                pools.stream().map(p -> p.config().name()).toList(), servers)
                + StatsDocument.packetMetrics(engine.dataPlaneDetails())
                + StatsDocument.announceMetrics(engine.announceDetails());
    }

    /** Every registered route as {@code "METHOD /path"} (Javalin's path syntax, {@code {param}}). */
    public List<String> routes() {
        return List.copyOf(routes);
    }

    public int port() {
        return app == null ? -1 : app.port();
    }

    @Override
    public void close() {
        // Resources first: open event streams end while Jetty can still finish their requests.
        for (AutoCloseable resource : closeables) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
        if (app != null) {
            app.stop();
        }
    }
}
