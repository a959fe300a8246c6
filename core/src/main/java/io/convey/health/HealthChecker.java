package io.convey.health;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active TCP health checks with rise/fall thresholds, each server checked on its own virtual thread.
 *
 * <p>Concurrency: {@link #update}, {@link #bindTo} and {@link #close} are called by the engine's control thread
 * (they serialise on one lock); status reads are safe from any thread. Each target has exactly one checker
 * thread, so at most one check per target is in flight, and a slow or blackholed server delays only itself.
 * Nothing here runs on, or blocks, an event loop.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    /** How long close() waits for checker threads, which stop at their next interrupt point. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final HealthListener listener;
    private final Clock clock;
    private final Map<HealthTarget, TargetLoop> loops = new ConcurrentHashMap<>();
    private final Object control = new Object();
    /** At most one per address family; a check uses the one of its target's family. */
    private volatile List<LocalBinding> bindings = List.of();
    private volatile boolean closed;

    public HealthChecker(HealthListener listener) {
        this(listener, Clock.systemUTC());
    }

    /** The clock stamps checks and transitions and ages the history; intervals always run on real time. */
    public HealthChecker(HealthListener listener, Clock clock) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Replaces the checked set. Targets present before (same pool+server+address) keep their state and history;
     * new targets are checked at once; removed targets stop being checked, and a check in flight on one is
     * dropped. Policy changes apply from the next check.
     */
    public void update(Map<HealthTarget, HealthPolicy> targets) {
        Map<HealthTarget, HealthPolicy> next = Map.copyOf(targets);
        synchronized (control) {
            if (closed) {
                throw new IllegalStateException("health checker: closed (expected: open)");
            }
            loops.entrySet().removeIf(entry -> {
                boolean removed = !next.containsKey(entry.getKey());
                if (removed) {
                    entry.getValue().stop();
                }
                return removed;
            });
            next.forEach((target, policy) -> {
                TargetLoop loop = loops.get(target);
                if (loop != null) {
                    loop.policy = policy;
                } else {
                    loop = new TargetLoop(target, policy);
                    loops.put(target, loop);
                    loop.start();
                }
            });
        }
    }

    /**
     * What the data plane saw of a passively checked target (an answer, ICMP port unreachable, a request without
     * answer); ignored for targets with probes. Never blocks: a report that finds the target's queue full is
     * dropped, as the ones before it already tell the same.
     */
    public void report(HealthTarget target, ProbeResult result) {
        TargetLoop loop = loops.get(target);
        if (loop != null && loop.policy.passive()) {
            loop.reports.offer(result);
        }
    }

    /** What is known of {@code target} now, or null if it is not checked. */
    public HealthStatus status(HealthTarget target) {
        TargetLoop loop = loops.get(target);
        return loop == null ? null : loop.health.status(clock.instant());
    }

    /**
     * Takes {@code target} down now for a reason seen in live traffic (passive health), announcing the transition as
     * a check would; it comes back by the active checks' rise. Blocking only as long as the listener: call it off
     * event loops.
     *
     * @return whether the target was up and went down
     */
    public boolean markDown(HealthTarget target, String reason) {
        TargetLoop loop = loops.get(target);
        if (loop == null || closed) {
            return false;
        }
        HealthTransition transition = loop.health.forceDown(clock.instant(), reason);
        if (transition == null) {
            return false;
        }
        // Without probes (health_check = none) the server is offered traffic again an interval from now.
        loop.downSince = System.nanoTime();
        loop.announce(transition);
        return true;
    }

    /** The status of every checked target. */
    public Map<HealthTarget, HealthStatus> snapshot() {
        Map<HealthTarget, HealthStatus> statuses = new LinkedHashMap<>();
        loops.forEach((target, loop) -> statuses.put(target, loop.health.status(clock.instant())));
        return statuses;
    }

    /** Checks {@code address} once; blocking, so callers run it off event loops. */
    public static ProbeResult probe(InetSocketAddress address, Duration timeout) {
        Objects.requireNonNull(address, "address");
        TcpProbe.requireValidTimeout(timeout);
        return TcpProbe.connect(address, timeout, null);
    }

    /**
     * Optional local address to bind checks to (passthrough uses the VIP); null = none. Later checks connect
     * from the first free port in {@code firstPort..lastPort}; {@code 0, 0} lets the kernel pick the port.
     */
    public void bindTo(InetAddress address, int firstPort, int lastPort) {
        bindTo(address == null ? List.of() : List.of(address), firstPort, lastPort);
    }

    /**
     * Local addresses to bind checks to, one per family at most (passthrough with IPv4 and IPv6 VIPs uses one VIP
     * of each); a check to a server of a family without an address here lets the kernel choose.
     */
    public void bindTo(List<InetAddress> addresses, int firstPort, int lastPort) {
        List<LocalBinding> next = addresses.stream().map(a -> new LocalBinding(a, firstPort, lastPort)).toList();
        synchronized (control) {
            bindings = next;
        }
    }

    private LocalBinding bindingFor(InetSocketAddress target) {
        for (LocalBinding b : bindings) {
            if ((b.address() instanceof Inet6Address) == (target.getAddress() instanceof Inet6Address)) {
                return b;
            }
        }
        return null;
    }

    /**
     * Stops every check. No listener call starts after this returns, unless close() is called from a listener
     * or a checker thread outlives {@link #CLOSE_WAIT}.
     */
    @Override
    public void close() {
        List<TargetLoop> stopped;
        synchronized (control) {
            closed = true;
            stopped = new ArrayList<>(loops.values());
            loops.clear();
        }
        stopped.forEach(TargetLoop::stop);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (TargetLoop loop : stopped) {
            loop.awaitStopped(deadline);
        }
    }

    /** The checking loop of one target, on its own virtual thread. */
    private final class TargetLoop implements Runnable {
        final HealthTarget target;
        final ServerHealth health = new ServerHealth();
        volatile HealthPolicy policy;
        /** Passive reports from the data plane, read by this loop's thread only. */
        final java.util.concurrent.BlockingQueue<ProbeResult> reports = new java.util.concurrent.ArrayBlockingQueue<>(256);
        /** When the server last went DOWN (System.nanoTime); written by this loop and by {@link #markDown}. */
        private volatile long downSince;
        private volatile boolean stopped;
        private final Thread thread;

        TargetLoop(HealthTarget target, HealthPolicy policy) {
            this.target = target;
            this.policy = policy;
            this.thread = Thread.ofVirtual().name("health " + name(target)).unstarted(this);
        }

        void start() {
            thread.start();
        }

        /** Interrupting a virtual thread aborts its blocking connect or sleep at once. */
        void stop() {
            stopped = true;
            thread.interrupt();
        }

        void awaitStopped(long deadlineNanos) {
            if (thread == Thread.currentThread()) {
                return;
            }
            try {
                thread.join(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            long nextStart = System.nanoTime();
            while (!stopped) {
                HealthPolicy current = policy;
                if (current.passive()) {
                    if (!passiveStep(current)) {
                        return;
                    }
                    nextStart = System.nanoTime();
                    continue;
                }
                ProbeResult result = TcpProbe.connect(target.address(), current.timeout(),
                        bindingFor(target.address()));
                if (stopped) {
                    return;
                }
                observe(result);
                HealthTransition transition = health.record(result, clock.instant(), current);
                log.trace("server={} addr={} check: {}", name(target), address(target), ServerHealth.describe(result));
                if (transition != null) {
                    announce(transition);
                }
                // Intervals run from check start to check start; a check slower than the interval is not caught up.
                nextStart = Math.max(nextStart + policy.interval().toNanos(), System.nanoTime());
                try {
                    TimeUnit.NANOSECONDS.sleep(nextStart - System.nanoTime());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Waits for a report (or for the time to try a DOWN server again) and applies it; false when stopped. */
        private boolean passiveStep(HealthPolicy current) {
            HealthTransition started = health.startPassive(clock.instant());
            if (started != null) {
                announce(started);
            }
            long wait = current.interval().toNanos();
            if (!health.up()) {
                wait = Math.max(0, downSince + current.interval().toNanos() - System.nanoTime());
            }
            ProbeResult result;
            try {
                result = reports.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return false;
            }
            if (stopped) {
                return false;
            }
            HealthTransition transition;
            if (result != null) {
                observe(result);
                transition = health.record(result, clock.instant(), current);
            } else if (System.nanoTime() - downSince >= current.interval().toNanos()) {
                transition = health.retryPassive(clock.instant(), current.interval());
            } else {
                transition = null; // taken down meanwhile by live traffic (observe): wait the interval from then
            }
            if (transition != null) {
                if (!transition.up()) {
                    downSince = System.nanoTime();
                    reports.clear(); // reports from before the server went DOWN do not count toward its return
                }
                announce(transition);
            }
            return true;
        }

        private void observe(ProbeResult result) {
            try {
                listener.onCheck(target, result);
            } catch (RuntimeException e) {
                log.warn("server={} check listener failed", name(target), e);
            }
        }

        private void announce(HealthTransition transition) {
            log.info("server={} addr={} {}: {}", name(target), address(target), transition.up() ? "UP" : "DOWN",
                    transition.reason());
            if (stopped || closed) {
                return;
            }
            try {
                listener.onChange(target, health.status(clock.instant()), transition);
            } catch (RuntimeException e) {
                log.warn("server={} health listener failed", name(target), e);
            }
        }
    }

    private static String name(HealthTarget target) {
        return target.pool() + "/" + target.server();
    }

    private static String address(HealthTarget target) {
        InetSocketAddress address = target.address();
        InetAddress ip = address.getAddress();
        if (ip == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        String host = ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
