package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.convey.engine.Engine;
import io.convey.engine.PoolView;
import io.convey.metrics.ConveyMetrics;
import io.convey.stats.StatsRegistry;
import io.convey.stats.TrafficCounters;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.convey.admin.auth.TlsMaterial;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
    private final ConveyMetrics metrics;
    private final List<Consumer<JavalinConfig>> routeSets = new ArrayList<>();
    private final Map<String, Access> routes = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final List<String> undeclared = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Javalin app;
    private SslContextFactory.Server sslContext;
    private ScheduledExecutorService certWatcher;
    /** How often the certificate files are checked for a replacement. */
    static final Duration CERT_CHECK = Duration.ofSeconds(2);

    public AdminServer(Engine engine) {
        this.engine = engine;
        this.mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.metrics = new ConveyMetrics(engine);
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

    /**
     * Starts listening, over HTTPS with {@code tls}'s certificate when given, plain HTTP otherwise; returns the
     * bound address (port 0 resolved). Refuses to start when a route was registered without exactly one
     * {@link Access} declaration.
     */
    public InetSocketAddress start(InetSocketAddress address, Optional<TlsMaterial> tls) {
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(mapper, false));
            cfg.http.maxRequestSize = Requests.MAX_BODY_BYTES;
            cfg.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    String route = h.getHttpMethod().name() + " " + h.getPath();
                    List<Access> declared = h.getRoles().stream().filter(Access.class::isInstance).map(Access.class::cast)
                            .toList();
                    if (declared.size() == 1) {
                        routes.put(route, declared.getFirst());
                    } else {
                        undeclared.add(route);
                    }
                }
            });
            tls.ifPresent(material -> httpsConnector(cfg, address, material));
            // the browser dashboard (module web-admin), packaged into core's classpath
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars(); // the dashboard's chart library, /webjars/uplot/<version>/
            routeSets.forEach(r -> r.accept(cfg));
        });
        if (!undeclared.isEmpty()) {
            throw new IllegalStateException("routes without an Access declaration: " + undeclared);
        }
        if (tls.isPresent()) {
            app.start();
        } else {
            app.start(address.getAddress().getHostAddress(), address.getPort());
        }
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), port());
        log.info("admin server listening addr={}:{} scheme={}", address.getAddress().getHostAddress(), port(),
                tls.isPresent() ? "https" : "http");
        tls.ifPresent(this::watchCertificate);
        return bound;
    }

    /**
     * Replaces Javalin's plain connector by an HTTPS one (Javalin 7 has no SSL plugin): Jetty's
     * {@link SslContextFactory.Server} holding the identity's key store, TLS 1.2 and 1.3 only (Jetty's defaults
     * already exclude weak ciphers). SNI host checking is off: clients reach the admin by address as often as by
     * name, and the Host header is checked by {@link AccessGuard}.
     */
    private void httpsConnector(JavalinConfig cfg, InetSocketAddress address, TlsMaterial material) {
        sslContext = new SslContextFactory.Server();
        sslContext.setKeyStore(material.identity().keyStore());
        sslContext.setKeyStorePassword(new String(TlsMaterial.KEY_STORE_PASSWORD));
        sslContext.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        sslContext.setSniRequired(false);
        cfg.jetty.addConnector((server, http) -> {
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(sslContext, "http/1.1"),
                    new HttpConnectionFactory(https));
            connector.setHost(address.getAddress().getHostAddress());
            connector.setPort(address.getPort());
            return connector;
        });
    }

    /** Checks the certificate files every {@link #CERT_CHECK} and hands a changed pair to Jetty. */
    private void watchCertificate(TlsMaterial material) {
        log.info("admin certificate cert={} sha256_fingerprint={}", material.certFile(), material.identity().fingerprint());
        certWatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "admin-cert-watch");
            t.setDaemon(true);
            return t;
        });
        certWatcher.scheduleWithFixedDelay(() -> material.reloadIfChanged().ifPresent(identity -> {
            try {
                sslContext.reload(f -> f.setKeyStore(identity.keyStore()));
                log.info("admin certificate reloaded cert={} sha256_fingerprint={}", material.certFile(),
                        identity.fingerprint());
            } catch (Exception e) {
                log.warn("admin certificate not reloaded cert={}", material.certFile(), e);
            }
        }), CERT_CHECK.toMillis(), CERT_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void statsRoutes(JavalinConfig cfg) {
        cfg.routes.get("/stats", ctx -> ctx.json(stats()), Access.METRICS);
        cfg.routes.get("/metrics", ctx -> {
            ConveyMetrics.Scrape scrape = metrics.scrape(ctx.header("Accept"));
            ctx.contentType(scrape.contentType()).result(scrape.body());
        }, Access.METRICS);
    }

    /**
     * The original convey's {@code /stats} document (same field names and meanings), plus the mode, the config
     * version and the data plane's own fields, which Jackson writes last and flat (as the original's document did).
     */
    public record StatsDocument(@JsonProperty("total_connections") long totalConnections,
            @JsonProperty("current_connections") long currentConnections,
            @JsonProperty("total_bytes_tx") long totalBytesTx, @JsonProperty("total_bytes_rx") long totalBytesRx,
            Map<String, StatsPool> backends, Map<String, StatsFrontend> frontends, String mode,
            @JsonProperty("config_version") long configVersion,
            @JsonIgnore Map<String, Object> dataPlane, StatsUdp udp) {
        @JsonAnyGetter
        public Map<String, Object> dataPlaneFields() {
            return dataPlane;
        }
    }

    /**
     * The UDP counters in /stats (absent from the original's document, so kept apart from its keys): per UDP frontend,
     * per pool a UDP frontend uses, and per server of those pools by address.
     */
    public record StatsUdp(Map<String, Views.UdpCounters> frontends, Map<String, Views.UdpCounters> backends,
            Map<String, Map<String, Views.UdpCounters>> servers) {}
    /** A frontend in /stats: its counters, then the connections it refused (allow/deny lists, rate limit). */
    public record StatsFrontend(@JsonUnwrapped Views.Counters counters,
            @JsonUnwrapped TrafficRoutes.Admission admission) {}

    /** A pool in /stats: its counters, then each server address with its health, in config order. */
    public record StatsPool(@JsonUnwrapped Views.Counters counters, Map<String, Boolean> servers,
            @JsonProperty("queue_current") int queueCurrent, @JsonProperty("queue_peak") int queuePeak) {}

    /** The /stats document now; maps keep config order. */
    public StatsDocument stats() {
        StatsRegistry registry = engine.stats();
        Map<String, StatsPool> backends = new LinkedHashMap<>();
        for (PoolView p : engine.pools()) {
            Map<String, Boolean> servers = new LinkedHashMap<>();
            p.servers().forEach(s -> servers.put(s.addr(), s.up()));
            backends.put(p.config().name(), new StatsPool(Views.Counters.of(registry.pool(p.config().name()).snapshot()),
                    servers, p.queue().current(), p.queue().peak()));
        }
        Map<String, StatsFrontend> frontends = new LinkedHashMap<>();
        var config = engine.config();
        if (config != null) {
            config.frontends().keySet().forEach(f -> frontends.put(f, new StatsFrontend(
                    Views.Counters.of(registry.frontend(f).snapshot()),
                    TrafficRoutes.Admission.of(registry.admissions().get(f)))));
        }
        TrafficCounters.Snapshot g = registry.global().snapshot();
        return new StatsDocument(g.totalConnections(), g.currentConnections(), g.bytesTx(), g.bytesRx(), backends,
                frontends, engine.mode().id(), engine.version(), engine.dataPlaneDetails(), statsUdp());
    }

    private StatsUdp statsUdp() {
        Map<String, Views.UdpCounters> frontends = new LinkedHashMap<>();
        var config = engine.config();
        if (config != null) {
            config.frontends().values().stream().filter(f -> f.protocol() == io.convey.config.Protocol.UDP).forEach(f ->
                    frontends.put(f.name(), Views.UdpCounters.of(engine.stats().datagrams().frontend(f.name()).snapshot())));
        }
        Map<String, Views.UdpCounters> pools = new LinkedHashMap<>();
        Map<String, Map<String, Views.UdpCounters>> servers = new LinkedHashMap<>();
        for (PoolView p : engine.pools()) {
            if (p.udp() != null) {
                pools.put(p.config().name(), Views.UdpCounters.of(p.udp()));
                Map<String, Views.UdpCounters> byAddr = new LinkedHashMap<>();
                p.servers().forEach(s -> byAddr.put(s.addr(), Views.UdpCounters.of(s.udp())));
                servers.put(p.config().name(), byAddr);
            }
        }
        return new StatsUdp(frontends, pools, servers);
    }

    /** Every registered route as {@code "METHOD /path"} (Javalin's path syntax, {@code {param}}). */
    public List<String> routes() {
        return List.copyOf(routes.keySet());
    }

    /** Every registered route with the role it needs: {@code "POST /api/v1/frontends" -> "admin"}. */
    public Map<String, String> routeRoles() {
        Map<String, String> out = new LinkedHashMap<>();
        routes.forEach((route, access) -> out.put(route, access.id()));
        return out;
    }

    Map<String, Access> declaredRoutes() {
        return routes;
    }

    public int port() {
        if (app == null) {
            return -1;
        }
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector c && c.getLocalPort() > 0) {
                return c.getLocalPort();
            }
        }
        return app.port();
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
        if (certWatcher != null) {
            certWatcher.shutdownNow();
        }
        if (app != null) {
            app.stop();
        }
    }
}
