package io.convey.engine;

import io.convey.balance.FlowKeys;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.PoolConfig;
import io.convey.config.Problem;
import io.convey.net.BindFailure;
import io.convey.config.ProxyTransport;
import io.convey.config.SocketAddresses;
import io.convey.proxy.Admission;
import io.convey.proxy.FlowObserver;
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
 * Proxy mode: the Netty {@link ProxyServer}, routed by the engine's current state.
 *
 * <p>The server starts with the first configuration, on the transport its {@code [proxy] transport} names; its
 * event loops and their sockets belong to that transport, so a later change of the key applies at the next start.
 * Called by the engine's writer only.
 */
final class ProxyDataPlane implements DataPlane, Router {
    private static final Logger log = LoggerFactory.getLogger(ProxyDataPlane.class);

    private final Engine engine;
    private final int ioThreads;
    /** Written by the engine's writer at the first reconcile; read by the admin API too. */
    private volatile ProxyServer server;

    ProxyDataPlane(Engine engine, int ioThreads) {
        this.engine = engine;
        this.ioThreads = ioThreads;
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
        List<FrontendConfig> unbound = new ArrayList<>();
        for (FrontendConfig old : previous.frontends().values()) {
            FrontendConfig now = next.frontends().get(old.name());
            if (now == null || !now.listenAddr().equals(old.listenAddr())) {
                join(server.unbind(old.name()));
                unbound.add(old);
            }
        }
        List<String> bound = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (FrontendConfig fe : next.frontends().values()) {
            FrontendConfig old = previous.frontends().get(fe.name());
            if (old != null && old.listenAddr().equals(fe.listenAddr()) && server.boundFrontends().contains(fe.name())) {
                continue;
            }
            try {
                server.bind(fe.name(), fe.listenAddr()).get();
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
            bound.forEach(name -> join(server.unbind(name)));
            for (FrontendConfig old : unbound) {
                join(server.bind(old.name(), old.listenAddr()).thenApply(a -> null));
            }
        }
        return problems;
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
    public Upstream select(String frontend, InetSocketAddress client, Set<InetSocketAddress> tried) {
        SlotWaiter giveBack = upstream -> upstream.observer().attemptEnded();
        return switch (admit(frontend, client, tried, giveBack)) {
            case Admission.Serve serve -> serve.upstream();
            case Admission.Wait wait -> {
                wait.ticket().cancel(false); // select does not wait; a slot granted meanwhile is given back
                yield null;
            }
            case Admission.Refuse refuse -> null;
        };
    }

    @Override
    public Admission admit(String frontend, InetSocketAddress client, Set<InetSocketAddress> tried, SlotWaiter waiter) {
        // One read of the state: the pool and the server chosen from it belong to the same snapshot.
        PoolRuntime pool = engine.poolOf(frontend);
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
        return new Upstream(chosen.config().addr(), config.connectTimeout(), config.idleTimeout(),
                new UpstreamObserver(engine.stats().frontend(frontend), engine.stats().global(), pool.counters(),
                        chosen.counters(), engine.stats().upstream(config.name(), server),
                        () -> pool.control().release(server),
                        what -> engine.liveFailure(config.name(), server, what)));
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
        private long openedAt;

        UpstreamObserver(TrafficCounters frontend, TrafficCounters global, TrafficCounters pool, TrafficCounters server,
                UpstreamCounters upstream, Runnable releaseSlot, Consumer<String> liveFailure) {
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
        }

        @Override
        public void connectFailed(boolean timedOut) {
            upstream.connectFailed(timedOut);
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
