package io.convey.engine;

import io.convey.balance.Balancer;
import io.convey.config.ConveyConfig;
import io.convey.config.HealthCheckType;
import io.convey.config.KeyLocator;
import io.convey.config.Mode;
import io.convey.config.PoolConfig;
import io.convey.config.Protocol;
import io.convey.config.Problem;
import io.convey.config.ServerConfig;
import io.convey.config.SocketAddresses;
import io.convey.health.HealthChecker;
import io.convey.health.HealthListener;
import io.convey.health.HealthPolicy;
import io.convey.health.HealthStatus;
import io.convey.health.HealthTarget;
import io.convey.health.HealthTransition;
import io.convey.health.ProbeResult;
import io.convey.packet.FirewallSetup;
import io.convey.stats.DatagramStats;
import io.convey.stats.SeriesRecorder;
import io.convey.stats.StatsRegistry;
import io.convey.stats.TrafficCounters;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the running appliance: the current immutable {@link EngineState}, the data plane, health checks
 * and counters. There is one writer: every change (a config from the file or the API, a health result)
 * goes through a method synchronized on {@code writeLock}, which builds the next state and swaps one
 * volatile reference. Data-plane threads only read that reference and bump counters.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** 16 minutes of per-second samples, so a 15-minute chart is always full. */
    static final int SERIES_CAPACITY = 960;
    /** How often slow-start ramps are looked at. */
    static final Duration RAMP_TICK = Duration.ofMillis(250);
    /** Passive health: live failures counted within this window toward a pool's {@code fall}. */
    static final Duration PASSIVE_WINDOW = Duration.ofSeconds(10);

    private final Mode mode;
    private final Clock clock;
    private final Instant startedAt;
    private final StatsRegistry stats = new StatsRegistry();
    private final TrafficControls traffic = new TrafficControls(stats);
    private final SeriesRecorder series = new SeriesRecorder(SERIES_CAPACITY);
    private final HealthChecker health;
    private final DataPlane dataPlane;
    private final Object writeLock = new Object();
    /** The file problems are reported in ("config" until the daemon names it); guarded by the write lock. */
    private String configFile = "config";
    private final List<Consumer<EngineEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile EngineState state;
    private volatile ReloadStatus lastReload;
    private volatile boolean maintenance;
    /** Traffic state per pool that outlives pool runtimes: queue, slots, persistence, live failures. */
    private final Map<String, PoolControl> controls = new ConcurrentHashMap<>();
    /** Rebuilds pools at slow-start steps; one daemon thread, which only takes the writer's lock when a step moved. */
    private final ScheduledExecutorService rampTicker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "convey-slow-start");
        thread.setDaemon(true);
        return thread;
    });
    private volatile java.util.function.Supplier<Map<String, Object>> announceDetails = () -> Map.of("maintenance",
            maintenance);

    private Engine(Mode mode, Clock clock, Function<Engine, DataPlane> dataPlaneFactory) {
        this.mode = mode;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.health = new HealthChecker(new HealthListener() {
            @Override
            public void onChange(HealthTarget target, HealthStatus status, HealthTransition transition) {
                onHealthChange(target, status, transition);
            }

            @Override
            public void onCheck(HealthTarget target, ProbeResult result) {
                stats.health(target.pool(), target.server()).checked(result.latency(), result.failure());
            }
        });
        this.dataPlane = dataPlaneFactory.apply(this);
        // At most four rebuilds a second per pool, and SlowStart.STEPS per ramp: bounded for Maglev's table builds.
        rampTicker.scheduleWithFixedDelay(this::rampTick, RAMP_TICK.toMillis(), RAMP_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** An engine in proxy mode with {@code ioThreads} event loops (0 = one per core). Nothing is bound yet. */
    public static Engine proxy(int ioThreads) {
        return new Engine(Mode.PROXY, Clock.systemUTC(), e -> new ProxyDataPlane(e, ioThreads));
    }

    /** An engine in passthrough or DSR mode (packet capture; needs root or CAP_NET_RAW/CAP_NET_ADMIN). */
    public static Engine packet(Mode mode) {
        if (mode == Mode.PROXY) {
            throw new IllegalArgumentException("mode: proxy (expected: passthrough or dsr)");
        }
        return new Engine(mode, Clock.systemUTC(), e -> new PacketModeDataPlane(e, FirewallSetup.local()));
    }

    /** A packet-mode engine over a given data plane (tests: one asking a host of their own). */
    static Engine packet(Mode mode, java.util.function.Function<Engine, DataPlane> dataPlane) {
        return new Engine(mode, Clock.systemUTC(), dataPlane);
    }

    /** Health checks leave from this address and port range (packet modes keep them out of the NAT range). */
    void bindHealthChecks(List<InetAddress> addresses, int firstPort, int lastPort) {
        health.bindTo(addresses, firstPort, lastPort);
    }

    /** Applies the first configuration; fails without side effects if a listener cannot be bound. */
    public ReloadStatus start(ConveyConfig config, String text) {
        return apply(config, "startup", "initial configuration", text);
    }

    /**
     * Applies a validated configuration: binds and unbinds listeners, rebuilds pools (keeping counters
     * and health of servers that stay), swaps the state. Established connections are not touched.
     */
    public ReloadStatus apply(ConveyConfig next, String source, String summary, String text) {
        return apply(next, source, source, summary, text);
    }

    /** As {@link #apply(ConveyConfig, String, String, String)}, recording {@code by} (who asked) with the version. */
    public ReloadStatus apply(ConveyConfig next, String source, String by, String summary, String text) {
        synchronized (writeLock) {
            return apply(next, source, by, summary, text, configFile, 0);
        }
    }

    /**
     * As {@link #apply(ConveyConfig, String, String, String, String)}, numbering the version {@code version} rather
     * than one more than the running one: a fleet's configuration carries its etcd revision.
     */
    public ReloadStatus apply(ConveyConfig next, String source, String by, String summary, String text, long version) {
        if (version < 1) {
            throw new IllegalArgumentException("version: " + version + " (expected: 1 or more)");
        }
        synchronized (writeLock) {
            return apply(next, source, by, summary, text, configFile, version);
        }
    }

    private ReloadStatus apply(ConveyConfig next, String source, String by, String summary, String text, String fileName,
            long numbered) {
        synchronized (writeLock) {
            EngineState previous = state;
            ConveyConfig previousConfig = previous == null ? emptyConfig(next) : previous.config();
            List<Problem> hostProblems = TrafficControls.check(next);
            List<Problem> problems = locate(hostProblems.isEmpty() ? dataPlane.reconcile(previousConfig, next)
                    : hostProblems, fileName, text);
            if (!problems.isEmpty()) {
                problems.forEach(p -> log.warn("config rejected source={}: {}", source, p));
                stats.reloadRejected();
                lastReload = new ReloadStatus(clock.instant(), source, false, version(), problems);
                publish(new EngineEvent.ConfigRejected(clock.instant(), source, problems));
                return lastReload;
            }
            long version = numbered > 0 ? numbered : previous == null ? 1 : previous.version() + 1;
            Map<String, PoolRuntime> pools = new LinkedHashMap<>();
            for (PoolConfig pool : next.backends().values()) {
                pools.put(pool.name(), buildPool(pool, previous));
            }
            traffic.update(next);
            swap(new EngineState(version, next, pools, clock.instant()));
            controls.keySet().retainAll(next.backends().keySet());
            next.backends().values().forEach(p -> control(p.name()).retain(p.servers().keySet()));
            health.update(healthTargets(next));
            stats.retain(next.frontends().keySet(), next.backends().keySet(), serverKeys(next));
            lastReload = new ReloadStatus(clock.instant(), source, true, version, List.of());
            log.info("config applied version={} source={} frontends={} pools={} servers={} change=\"{}\"", version, source,
                    next.frontends().size(), next.backends().size(),
                    next.backends().values().stream().mapToInt(p -> p.servers().size()).sum(), summary);
            publish(new EngineEvent.ConfigApplied(clock.instant(), version, source, summary, text, by));
            return lastReload;
        }
    }

    /** Names the file the configuration comes from, for the problems the data plane finds in it. */
    public void configFile(String fileName) {
        synchronized (writeLock) {
            configFile = fileName;
        }
    }

    /**
     * Places the data plane's problems (found with the mode or the host, after loading) at their key's line in the
     * applied text, as the loader places its own.
     */
    private static List<Problem> locate(List<Problem> problems, String fileName, String text) {
        if (problems.isEmpty()) {
            return problems;
        }
        KeyLocator locator = KeyLocator.of(fileName, text);
        return problems.stream().map(locator::locate).toList();
    }

    /** Records a configuration that failed validation; the running one stays. */
    public ReloadStatus reject(String source, List<Problem> problems) {
        synchronized (writeLock) {
            problems.forEach(p -> log.warn("config rejected source={}: {}", source, p));
            stats.reloadRejected();
            lastReload = new ReloadStatus(clock.instant(), source, false, version(), problems);
            publish(new EngineEvent.ConfigRejected(clock.instant(), source, problems));
            return lastReload;
        }
    }

    private PoolRuntime buildPool(PoolConfig pool, EngineState previous) {
        Instant now = clock.instant();
        PoolRuntime old = previous == null ? null : previous.pools().get(pool.name());
        List<ServerRuntime> servers = new ArrayList<>();
        for (ServerConfig server : pool.servers().values()) {
            HealthStatus status = health.status(healthTarget(pool, server));
            boolean up = isUp(status);
            ServerRuntime before = old == null ? null : old.server(server.name());
            servers.add(new ServerRuntime(pool.name(), server, stats.server(pool.name(), server.name()), up,
                    rampStart(pool, server, up, before, previous != null, now)));
        }
        if (old != null && old.sameAs(pool, servers, now)) {
            return old; // unchanged pools keep their balancer (and its rotation)
        }
        // Packet modes always hash flows with Maglev: a flow must stay on its server without per-flow state
        // shared between workers.
        var kind = mode == Mode.PROXY ? PoolRuntime.kind(pool) : Balancer.Kind.MAGLEV;
        return new PoolRuntime(pool, servers, stats.pool(pool.name()), kind, control(pool.name()), now);
    }

    /**
     * When a server's slow start began: now if it just became eligible (came up, was enabled, got a weight, or was
     * added to a running appliance), its earlier start while the ramp lasts, else null (full weight). Servers of
     * the first configuration start at full weight, as HAProxy's do at boot.
     */
    private static Instant rampStart(PoolConfig pool, ServerConfig server, boolean up, ServerRuntime before,
            boolean running, Instant now) {
        Duration slowStart = pool.traffic().slowStart();
        if (slowStart.isZero() || !up || !server.takesNewConnections()) {
            return null;
        }
        if (before == null) {
            return running ? now : null;
        }
        if (!before.eligible()) {
            return now;
        }
        Instant started = before.rampStart();
        return started != null && Duration.between(started, now).compareTo(slowStart) < 0 ? started : null;
    }

    private PoolControl control(String pool) {
        return controls.computeIfAbsent(pool, p -> new PoolControl(stats.queue(p), () -> {
            EngineState s = state;
            return s == null ? null : s.pools().get(p);
        }));
    }

    /** Rebuilds the pools whose slow-start ramps reached a new step; on the ramp ticker's thread. */
    private void rampTick() {
        try {
            EngineState current = state;
            Instant now = clock.instant();
            if (current == null || current.pools().values().stream().noneMatch(p -> p.rampMoved(now))) {
                return;
            }
            synchronized (writeLock) {
                current = state;
                Map<String, PoolRuntime> pools = new LinkedHashMap<>(current.pools());
                for (PoolRuntime pool : current.pools().values()) {
                    if (pool.rampMoved(now)) {
                        pools.put(pool.config().name(), buildPool(pool.config(), current));
                    }
                }
                swap(new EngineState(current.version(), current.config(), pools, current.appliedAt()));
            }
        } catch (RuntimeException e) {
            log.warn("slow-start step failed", e);
        }
    }

    /**
     * Passive health: a connect to {@code server} failed or its socket was reset in live traffic ({@code what}).
     * Called on event loops: counts without blocking; when a pool that observes its traffic sees {@code fall} such
     * failures within {@link #PASSIVE_WINDOW}, the server is taken down from another thread, at once.
     */
    void liveFailure(String poolName, String serverName, String what) {
        EngineState s = state;
        PoolRuntime pool = s == null ? null : s.pools().get(poolName);
        if (pool == null || !pool.config().traffic().observe()) {
            return;
        }
        ServerRuntime server = pool.server(serverName);
        if (server == null || !server.up() || !pool.control().liveFailure(serverName, System.nanoTime(),
                PASSIVE_WINDOW.toNanos(), pool.config().fall())) {
            return;
        }
        HealthTarget target = healthTarget(pool.config(), server.config());
        String reason = pool.config().fall() + " failed connects or resets of live traffic in "
                + PASSIVE_WINDOW.toSeconds() + " s (last: " + what + ")";
        // Off the event loop: the transition rebuilds the pool under the writer's lock.
        Thread.ofVirtual().name("passive health " + poolName + "/" + serverName)
                .start(() -> health.markDown(target, reason));
    }

    /** Unchecked servers count as up: a refused connect fails over, and the first check decides quickly. */
    private static boolean isUp(HealthStatus status) {
        return status == null || !status.checked() || status.up();
    }

    private void onHealthChange(HealthTarget target, HealthStatus status, HealthTransition transition) {
        synchronized (writeLock) {
            EngineState current = state;
            if (current == null) {
                return;
            }
            PoolConfig pool = current.config().backends().get(target.pool());
            if (pool != null) {
                Map<String, PoolRuntime> pools = new LinkedHashMap<>(current.pools());
                pools.put(pool.name(), buildPool(pool, current));
                swap(new EngineState(current.version(), current.config(), pools, current.appliedAt()));
            }
        }
        publish(new EngineEvent.HealthChanged(transition.at(), target.pool(), target.server(),
                SocketAddresses.format(target.address()), transition.up(), transition.reason()));
    }

    private void swap(EngineState next) {
        state = next;
        dataPlane.stateChanged(next);
        // A server that came up, a raised limit or a new server may free slots for queued connections.
        next.pools().values().forEach(pool -> pool.control().serveQueue());
    }

    private static Map<HealthTarget, HealthPolicy> healthTargets(ConveyConfig config) {
        Map<HealthTarget, HealthPolicy> targets = new HashMap<>();
        for (PoolConfig pool : config.backends().values()) {
            HealthPolicy policy = new HealthPolicy(pool.healthCheckInterval(), pool.healthCheckTimeout(), pool.rise(),
                    pool.fall(), pool.healthCheck().type() == HealthCheckType.NONE);
            for (ServerConfig server : pool.servers().values()) {
                targets.put(healthTarget(pool, server), policy);
            }
        }
        return targets;
    }

    /** A server as the health checker knows it: probes go to {@code health_check_port} when the pool sets one. */
    static HealthTarget healthTarget(PoolConfig pool, ServerConfig server) {
        InetSocketAddress addr = server.addr();
        int port = pool.healthCheck().probePort(addr.getPort());
        return new HealthTarget(pool.name(), server.name(),
                port == addr.getPort() ? addr : new InetSocketAddress(addr.getAddress(), port));
    }

    /**
     * What the data plane saw of a server whose pool has {@code health_check = "none"} (counted toward rise and
     * fall); never blocks, so event loops may call it.
     */
    void reportPassive(HealthTarget target, ProbeResult result) {
        health.report(target, result);
    }

    private static Set<StatsRegistry.ServerKey> serverKeys(ConveyConfig config) {
        Set<StatsRegistry.ServerKey> keys = new HashSet<>();
        config.backends().values().forEach(p -> p.servers().keySet()
                .forEach(s -> keys.add(new StatsRegistry.ServerKey(p.name(), s))));
        return keys;
    }

    private static ConveyConfig emptyConfig(ConveyConfig like) {
        return new ConveyConfig(Map.of(), Map.of(), like.stats(), like.passthrough(), like.admin(),
                like.notifications(), like.announce(), like.proxy(), like.cluster());
    }

    // ---- routing, called by data planes (never blocks) ----

    /** The pool runtime serving a frontend now, or null. */
    PoolRuntime poolOf(String frontend) {
        EngineState s = state;
        return s == null ? null : s.poolOfFrontend(frontend);
    }

    /** The pool serving a frontend's connection whose TLS ClientHello named {@code serverName} (null: none), or null. */
    PoolRuntime poolOf(String frontend, String serverName) {
        EngineState s = state;
        return s == null ? null : s.poolOfFrontend(frontend, serverName);
    }

    // ---- reads for the admin API and stats ----

    public Mode mode() {
        return mode;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long version() {
        EngineState s = state;
        return s == null ? 0 : s.version();
    }

    public ConveyConfig config() {
        EngineState s = state;
        return s == null ? null : s.config();
    }

    public ReloadStatus lastReload() {
        return lastReload;
    }

    /** The frontends' access logs: the latest entries and the writer's counts. */
    public io.convey.accesslog.AccessLogs accessLogs() {
        return traffic.logs();
    }

    /** A frontend's admission of new connections, for the data planes. */
    io.convey.traffic.FrontendGuard guard(String frontend) {
        return traffic.guard(frontend);
    }

    /** A frontend's access-log sink, for the data planes. */
    io.convey.traffic.AccessSink accessSink(String frontend) {
        return traffic.sink(frontend);
    }

    public StatsRegistry stats() {
        return stats;
    }

    public SeriesRecorder series() {
        return series;
    }

    /** The address a frontend listens on now (a configured port 0 resolved), or null. */
    public InetSocketAddress boundAddress(String frontend) {
        return dataPlane.boundAddress(frontend);
    }

    public Map<String, Object> dataPlaneDetails() {
        return dataPlane.details();
    }

    /** Every pool now, in config order. */
    public List<PoolView> pools() {
        EngineState s = state;
        if (s == null) {
            return List.of();
        }
        List<PoolView> views = new ArrayList<>();
        Set<String> udpPools = new HashSet<>();
        s.config().frontends().values().stream().filter(f -> f.protocol() == Protocol.UDP)
                .forEach(f -> udpPools.add(f.backend()));
        DatagramStats datagrams = stats.datagrams();
        for (PoolRuntime pool : s.pools().values()) {
            boolean udp = udpPools.contains(pool.config().name());
            double[] shares = pool.balancer().expectedShares();
            List<PoolView.ServerView> servers = new ArrayList<>();
            for (int i = 0; i < pool.servers().size(); i++) {
                ServerRuntime server = pool.servers().get(i);
                ServerConfig c = server.config();
                HealthStatus status = health.status(healthTarget(pool.config(), c));
                servers.add(new PoolView.ServerView(c.name(), SocketAddresses.format(c.addr()), c.weight(), c.state().id(),
                        server.up(), server.eligible(), shares[i], status, server.counters().snapshot(),
                        udp ? datagrams.server(pool.config().name(), c.name()).snapshot() : null,
                        server.counters().peak(), stats.upstreamSnapshot(pool.config().name(), c.name()),
                        new PoolView.Limits(c.maxConnections(), pool.control().slots(c.name()).inUse(),
                                pool.effectiveWeight(i), pool.rampPercent(i))));
            }
            views.add(new PoolView(pool.config(), pool.counters().snapshot(), servers,
                    udp ? datagrams.pool(pool.config().name()).snapshot() : null,
                    stats.queue(pool.config().name()).snapshot()));
        }
        return views;
    }

    /** Subscribes to config and health changes; the listener runs on the changing thread and must be quick. */
    public void addListener(Consumer<EngineEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<EngineEvent> listener) {
        listeners.remove(listener);
    }

    private void publish(EngineEvent event) {
        for (Consumer<EngineEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("event listener failed event={}", event.getClass().getSimpleName(), e);
            }
        }
    }

    /** Takes one per-second sample of every scope into the series (called once a second). */
    public Map<String, SeriesRecorder.Sample> sample() {
        dataPlane.syncCounters(stats);
        Map<String, TrafficCounters.Snapshot> scopes = new LinkedHashMap<>();
        scopes.put("appliance", stats.global().snapshot());
        stats.frontends().forEach((n, c) -> scopes.put("frontend/" + n, c.snapshot()));
        stats.pools().forEach((n, c) -> scopes.put("pool/" + n, c.snapshot()));
        stats.servers().forEach((k, c) -> scopes.put("server/" + k.pool() + "/" + k.server(), c.snapshot()));
        Instant now = clock.instant();
        Map<String, SeriesRecorder.Sample> latest = series.record(now, scopes);
        publish(new EngineEvent.StatsSampled(now, latest));
        return latest;
    }

    /** A one-off TCP probe, for checking a server before adding it. Blocking: call off event loops. */
    public ProbeResult probe(InetSocketAddress address, Duration timeout) {
        return HealthChecker.probe(address, timeout);
    }

    // ---- maintenance and the announce adapters (io.convey.announce), which the engine does not know ----

    /**
     * Puts the appliance in maintenance or takes it out: its VIPs are withdrawn (or drained) by the announce
     * adapters; traffic that still arrives is served as usual. {@code by} is who asked, for the log and events.
     */
    public void maintenance(boolean on, String by) {
        synchronized (writeLock) {
            if (maintenance == on) {
                return;
            }
            maintenance = on;
            log.info("maintenance {} by={}", on ? "on" : "off", by);
        }
        publish(new EngineEvent.MaintenanceChanged(clock.instant(), on, by));
    }

    public boolean maintenance() {
        return maintenance;
    }

    /** Publishes what an announce adapter saw change, for the event stream and the charts' markers. */
    public void publishAnnounce(EngineEvent event) {
        if (event instanceof EngineEvent.AnnounceChanged || event instanceof EngineEvent.VrrpChanged) {
            publish(event);
        } else {
            throw new IllegalArgumentException("event: " + event.getClass().getSimpleName()
                    + " (expected: AnnounceChanged or VrrpChanged)");
        }
    }

    /** Where {@link #announceDetails()} comes from: the announce adapters' state for status and metrics. */
    public void reportAnnounce(java.util.function.Supplier<Map<String, Object>> source) {
        announceDetails = source;
    }

    /** Maintenance, and each VIP's announcement and why, the BGP sessions and the VRRP state when something announces. */
    public Map<String, Object> announceDetails() {
        return announceDetails.get();
    }

    @Override
    public void close() {
        rampTicker.shutdownNow();
        health.close();
        dataPlane.close();
        traffic.close();
    }
}
