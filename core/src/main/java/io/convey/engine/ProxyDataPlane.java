package io.convey.engine;

import io.convey.balance.FlowKeys;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.HealthCheckType;
import io.convey.config.PoolConfig;
import io.convey.config.Protocol;
import io.convey.config.UdpOptions;
import io.convey.health.HealthTarget;
import io.convey.proxy.DatagramRoute;
import io.convey.proxy.DatagramRouter;
import io.convey.proxy.UdpSessionPolicy;
import io.convey.stats.DatagramCounters;
import io.convey.stats.DatagramStats;
import io.convey.config.Problem;
import io.convey.net.BindFailure;
import io.convey.config.ProxyTransport;
import io.convey.config.SocketAddresses;
import io.convey.config.FrontendPreamble;
import io.convey.config.SendProxy;
import io.convey.config.SniMismatch;
import io.convey.proxy.Admission;
import io.convey.proxy.ConnectionOrigin;
import io.convey.proxy.FlowObserver;
import io.convey.proxy.Preamble;
import io.convey.proxy.ProxyHeader;
import io.convey.proxy.Refusal;
import io.convey.proxy.SlotWaiter;
import io.convey.proxy.ProxyServer;
import io.convey.proxy.Router;
import io.convey.proxy.Transport;
import io.convey.proxy.Upstream;
import io.convey.stats.TrafficCounters;
import io.convey.stats.UpstreamCounters;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy mode: the Netty {@link ProxyServer}, routed by the engine's current state: TCP connections and UDP
 * sessions.
 *
 * <p>The server starts with the first configuration, on the transport its {@code [proxy] transport} names; its
 * event loops and their sockets belong to that transport, so a later change of the key applies at the next start.
 * Called by the engine's writer only.
 */
final class ProxyDataPlane implements DataPlane, Router, DatagramRouter {
    private static final Logger log = LoggerFactory.getLogger(ProxyDataPlane.class);

    private final Engine engine;
    private final int ioThreads;
    private final PassiveHealth passive;
    /** Written by the engine's writer at the first reconcile; read by the admin API too. */
    private volatile ProxyServer server;
    /** The proxy's form of each frontend's preamble settings, rebuilt by the writer at each reconcile. */
    private volatile Map<String, Preamble> preambles = Map.of();

    ProxyDataPlane(Engine engine, int ioThreads) {
        this.engine = engine;
        this.ioThreads = ioThreads;
        this.passive = new PassiveHealth(engine);
    }

    @Override
    public List<Problem> reconcile(ConveyConfig previous, ConveyConfig next) {
        if (server == null) {
            Transport transport = transport(next.proxy().transport());
            Optional<Throwable> unavailable = transport.unavailability();
            if (unavailable.isPresent()) {
                return List.of(Problem.error("proxy", 0, "proxy.transport", "\"" + next.proxy().transport().id()
                        + "\" unavailable on this machine (" + unavailable.get() + ") (expected: auto, or a transport"
                        + " this machine supports)"));
            }
            server = new ProxyServer(this, ioThreads, transport);
            log.info("proxy started transport={} requested={} io_threads={}", transport.label(),
                    next.proxy().transport().id(), ioThreads == 0 ? Runtime.getRuntime().availableProcessors() : ioThreads);
        } else if (!previous.proxy().equals(next.proxy())) {
            log.info("proxy transport kept until restart transport={} requested={}", server.transport(),
                    next.proxy().transport().id());
        }
        preambles = preambles(next);
        List<FrontendConfig> unbound = new ArrayList<>();
        for (FrontendConfig old : previous.frontends().values()) {
            FrontendConfig now = next.frontends().get(old.name());
            if (now == null || !now.listenAddr().equals(old.listenAddr()) || now.protocol() != old.protocol()) {
                join(server.unbind(old.name()));
                unbound.add(old);
            }
        }
        List<String> bound = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (FrontendConfig fe : next.frontends().values()) {
            FrontendConfig old = previous.frontends().get(fe.name());
            if (old != null && old.listenAddr().equals(fe.listenAddr()) && old.protocol() == fe.protocol()
                    && server.boundFrontends().contains(fe.name())) {
                continue;
            }
            try {
                bind(fe).get();
                bound.add(fe.name());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                problems.add(Problem.error("listener", 0, "frontends." + fe.name() + ".listen_addr",
                        "\"" + SocketAddresses.format(fe.listenAddr()) + "\" cannot be bound ("
                                + BindFailure.reason(cause) + ")"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(Problem.error("listener", 0, "frontends." + fe.name(), "interrupted while binding"));
            }
        }
        if (!problems.isEmpty()) {
            preambles = preambles(previous);
            bound.forEach(name -> join(server.unbind(name)));
            for (FrontendConfig old : unbound) {
                join(bind(old).thenApply(a -> null));
            }
        }
        return problems;
    }

    private CompletableFuture<InetSocketAddress> bind(FrontendConfig fe) {
        return fe.protocol() == Protocol.UDP ? server.bindUdp(fe.name(), fe.listenAddr(), this)
                : server.bind(fe.name(), fe.listenAddr());
    }

    /** "auto" is {@link Transport#best()}, which says why from the side-by-side measurements. */
    static Transport transport(ProxyTransport requested) {
        return switch (requested) {
            case AUTO -> Transport.best();
            case IO_URING -> Transport.IO_URING;
            case EPOLL -> Transport.EPOLL;
            case NIO -> Transport.NIO;
        };
    }

    private static void join(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            // Restoring an old listener that can no longer bind is logged by the proxy; nothing else to do.
        }
    }

    @Override
    public FlowObserver frontendObserver(String frontend) {
        TrafficCounters fe = engine.stats().frontend(frontend);
        TrafficCounters global = engine.stats().global();
        return new FlowObserver() {
            @Override
            public void refused(Refusal reason) {
                engine.stats().refusals(frontend).refused(refusalId(reason));
            }

            @Override
            public void opened() {
                fe.opened();
                global.opened();
            }

            @Override
            public void bytesFromClient(long n) {}

            @Override
            public void bytesFromServer(long n) {}

            @Override
            public void closed() {
                fe.closed();
                global.closed();
            }
        };
    }

    @Override
    public Preamble preamble(String frontend) {
        return preambles.getOrDefault(frontend, Preamble.NONE);
    }

    private static Map<String, Preamble> preambles(ConveyConfig config) {
        Map<String, Preamble> out = new java.util.HashMap<>();
        for (FrontendConfig fe : config.frontends().values()) {
            if (!fe.preamble().equals(FrontendPreamble.NONE)) {
                out.put(fe.name(), preamble(fe.preamble()));
            }
        }
        return Map.copyOf(out);
    }

    static Preamble preamble(FrontendPreamble p) {
        return new Preamble(p.acceptProxy(), p.acceptProxyTimeout(), p.routesBySni(), p.sniTimeout(),
                p.sniMismatch() == SniMismatch.REJECT);
    }

    @Override
    public io.convey.traffic.FrontendGuard guard(String frontend) {
        return engine.guard(frontend);
    }

    @Override
    public io.convey.traffic.AccessSink accessLog(String frontend) {
        return engine.accessSink(frontend);
    }

    @Override
    public Upstream select(String frontend, InetSocketAddress client, Set<InetSocketAddress> tried) {
        return select(frontend, client, engine.poolOf(frontend), tried);
    }

    @Override
    public Upstream select(String frontend, ConnectionOrigin origin, Set<InetSocketAddress> tried) {
        return select(frontend, origin.client(), poolOf(frontend, origin), tried);
    }

    /** A server now or none: a connection that would have to wait gets none (a slot granted meanwhile goes back). */
    private Upstream select(String frontend, InetSocketAddress client, PoolRuntime pool, Set<InetSocketAddress> tried) {
        SlotWaiter giveBack = upstream -> upstream.observer().attemptEnded();
        return switch (admit(frontend, client, pool, tried, giveBack)) {
            case Admission.Serve serve -> serve.upstream();
            case Admission.Wait wait -> {
                wait.ticket().cancel(false);
                yield null;
            }
            case Admission.Refuse refuse -> null;
        };
    }

    @Override
    public Admission admit(String frontend, ConnectionOrigin origin, Set<InetSocketAddress> tried, SlotWaiter waiter) {
        return admit(frontend, origin.client(), poolOf(frontend, origin), tried, waiter);
    }

    /** The frontend's pool, or the one its SNI map gives the connection's TLS server name. */
    private PoolRuntime poolOf(String frontend, ConnectionOrigin origin) {
        return origin.serverName() == null ? engine.poolOf(frontend) : engine.poolOf(frontend, origin.serverName());
    }

    /**
     * Admission in {@code pool} of a connection from {@code client} (the effective client: balancing and persistence
     * see the PROXY header's source on an {@code accept_proxy} frontend).
     */
    private Admission admit(String frontend, InetSocketAddress client, PoolRuntime pool, Set<InetSocketAddress> tried,
            SlotWaiter waiter) {
        // One read of the state: the pool and the server chosen from it belong to the same snapshot.
        if (pool == null) {
            return new Admission.Refuse(Refusal.NO_SERVER);
        }
        PoolControl control = pool.control();
        long flowKey = FlowKeys.flowKey(client.getAddress(), 0);
        PoolControl.Outcome outcome = control.admit(pool, flowKey, tried,
                (now, server) -> waiter.granted(upstream(frontend, now, server)), System.nanoTime());
        return switch (outcome) {
            case PoolControl.Picked picked -> new Admission.Serve(upstream(frontend, pool, picked.server()));
            case PoolControl.Queued queued -> new Admission.Wait(pool.config().traffic().queueTimeout(),
                    timedOut -> control.cancel(queued.waiting(), timedOut));
            case PoolControl.QueueFull full -> new Admission.Refuse(Refusal.QUEUE_FULL);
            case PoolControl.NoServer none -> new Admission.Refuse(Refusal.NO_SERVER);
        };
    }

    private Upstream upstream(String frontend, PoolRuntime pool, ServerRuntime chosen) {
        PoolConfig config = pool.config();
        String server = chosen.config().name();
        boolean passiveCheck = config.healthCheck().type() == HealthCheckType.NONE;
        return new Upstream(chosen.config().addr(), config.connectTimeout(), config.idleTimeout(),
                new UpstreamObserver(engine.stats().frontend(frontend), engine.stats().global(), pool.counters(),
                        chosen.counters(), engine.stats().upstream(config.name(), server),
                        () -> pool.control().release(server),
                        what -> engine.liveFailure(config.name(), server, what),
                        passiveCheck ? passive : null, Engine.healthTarget(config, chosen.config())),
                proxyHeader(config.sendProxy()), config.name(), chosen.config().name(), config.traffic().halfClose());
    }

    private static ProxyHeader proxyHeader(SendProxy sendProxy) {
        return switch (sendProxy) {
            case NONE -> ProxyHeader.NONE;
            case V1 -> ProxyHeader.V1;
            case V2 -> ProxyHeader.V2;
        };
    }

    @Override
    public int maxConnections(String frontend) {
        ConveyConfig config = engine.config();
        FrontendConfig fe = config == null ? null : config.frontends().get(frontend);
        return fe == null ? 0 : fe.maxConnections();
    }

    @Override
    public void frontendFull(String frontend) {
        engine.stats().frontendFull(frontend).increment();
        engine.stats().refusals(frontend).refused(refusalId(Refusal.FRONTEND_FULL));
    }

    private static String refusalId(Refusal reason) {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Counts one proxied connection on its pool and server, and its bytes on frontend, pool, server and appliance;
     * connect outcomes, connect time and duration on the server's upstream counters. One per connection, confined
     * to the client's event loop.
     */
    private static final class UpstreamObserver implements FlowObserver {
        private final TrafficCounters frontend;
        private final TrafficCounters global;
        private final TrafficCounters pool;
        private final TrafficCounters server;
        private final UpstreamCounters upstream;
        private final Runnable releaseSlot;
        private final Consumer<String> liveFailure;
        /** For pools with {@code health_check = "none"}, else null. */
        private final PassiveHealth passive;
        private final HealthTarget target;
        private long openedAt;

        UpstreamObserver(TrafficCounters frontend, TrafficCounters global, TrafficCounters pool, TrafficCounters server,
                UpstreamCounters upstream, Runnable releaseSlot, Consumer<String> liveFailure, PassiveHealth passive,
                HealthTarget target) {
            this.passive = passive;
            this.target = target;
            this.frontend = frontend;
            this.global = global;
            this.pool = pool;
            this.server = Objects.requireNonNull(server);
            this.upstream = upstream;
            this.releaseSlot = releaseSlot;
            this.liveFailure = liveFailure;
        }

        @Override
        public void attemptEnded() {
            releaseSlot.run();
        }

        @Override
        public void serverReset() {
            liveFailure.accept("reset");
        }

        @Override
        public void connectDone(long nanos) {
            upstream.connected(nanos);
            if (passive != null) {
                passive.succeeded(target);
            }
        }

        @Override
        public void connectFailed(boolean timedOut) {
            upstream.connectFailed(timedOut);
            if (passive != null) {
                passive.failed(target, timedOut ? "connect timeout" : "connect refused", timedOut ? "timeout" : "refused");
            }
            liveFailure.accept(timedOut ? "connect timeout" : "connect failed");
        }

        @Override
        public void retried() {
            upstream.retried();
        }

        @Override
        public void opened() {
            openedAt = System.nanoTime();
            pool.opened();
            server.opened();
        }

        @Override
        public void bytesFromClient(long n) {
            frontend.addTx(n);
            global.addTx(n);
            pool.addTx(n);
            server.addTx(n);
        }

        @Override
        public void bytesFromServer(long n) {
            frontend.addRx(n);
            global.addRx(n);
            pool.addRx(n);
            server.addRx(n);
        }

        @Override
        public void closed() {
            pool.closed();
            server.closed();
            upstream.closed(System.nanoTime() - openedAt);
        }
    }

    @Override
    public UdpSessionPolicy policy(String frontend) {
        ConveyConfig config = engine.config();
        FrontendConfig fe = config == null ? null : config.frontends().get(frontend);
        if (fe == null) {
            return null;
        }
        UdpOptions udp = fe.udp();
        return new UdpSessionPolicy(udp.idleTimeout(), udp.responses().orElse(-1), udp.maxSessions());
    }

    @Override
    public DatagramRoute select(String frontend, InetSocketAddress client) {
        // One read of the state, as for TCP; Maglev hashes the client's address only, so a client keeps its server
        // across its ports and sessions. A session takes no server slot: max_connections and the queue are for TCP
        // connections; persistence and slow start apply.
        PoolRuntime pool = engine.poolOf(frontend);
        ServerRuntime chosen = pool == null ? null
                : pool.pick(FlowKeys.flowKey(client.getAddress(), 0), Set.of(), i -> false, System.nanoTime());
        if (chosen == null) {
            return null;
        }
        PoolConfig config = pool.config();
        String name = chosen.config().name();
        DatagramStats udp = engine.stats().datagrams();
        TrafficCounters[] traffic = {engine.stats().frontend(frontend), pool.counters(), chosen.counters(),
                engine.stats().global()};
        DatagramCounters[] datagrams = {udp.frontend(frontend), udp.pool(config.name()), udp.server(config.name(), name),
                udp.global()};
        boolean passiveCheck = config.healthCheck().type() == HealthCheckType.NONE;
        return new DatagramRoute(chosen.config().addr(), config.healthCheckTimeout(), new UdpSessionObserver(traffic,
                datagrams, Engine.healthTarget(config, chosen.config()), passiveCheck ? passive : null));
    }

    @Override
    public void dropped(String frontend, boolean overCap) {
        engine.stats().datagrams().frontend(frontend).dropped();
        engine.stats().datagrams().global().dropped();
    }

    @Override
    public InetSocketAddress boundAddress(String frontend) {
        return server == null ? null : server.localAddress(frontend);
    }

    @Override
    public Map<String, Object> details() {
        ProxyServer running = server;
        if (running == null) {
            return Map.of();
        }
        return Map.of("transport", running.transport(), "active_connections", running.activeConnections());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
