package io.convey.engine;

import io.convey.balance.FlowKeys;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.PassthroughConfig;
import io.convey.config.Problem;
import io.convey.config.PoolConfig;
import io.convey.config.ServerConfig;
import io.convey.config.ServerState;
import io.convey.config.SocketAddresses;
import io.convey.config.DsrMethod;
import io.convey.packet.Delivery;
import io.convey.packet.FirewallSetup;
import io.convey.packet.FlowScheduler;
import io.convey.packet.FlowTimeouts;
import io.convey.packet.PacketDataPlane;
import io.convey.packet.PassthroughCounters;
import io.convey.packet.PassthroughFrontend;
import io.convey.packet.PassthroughSettings;
import io.convey.packet.ReceiveOffloads;
import io.convey.packet.ServerRef;
import io.convey.stats.TrafficCounters;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passthrough (NAT) and DSR modes: the {@link PacketDataPlane}, fed with one immutable frontend list per engine
 * state. VIPs may be IPv4 or IPv6 (IPv6 in passthrough and DSR nat), each with servers of its own family. Servers are chosen by weighted Maglev on the client's address and port, whatever the pool's
 * proxy algorithm, so that a flow stays on its server while other servers come and go.
 */
final class PacketModeDataPlane implements DataPlane {
    private static final Logger log = LoggerFactory.getLogger(PacketModeDataPlane.class);

    private final Engine engine;
    private final PacketHostSetup host;
    private PacketDataPlane plane;
    private String interfaceName;
    private PassthroughCounters lastCounters;

    PacketModeDataPlane(Engine engine, FirewallSetup firewall) {
        this.engine = engine;
        this.host = new PacketHostSetup(firewall, ReceiveOffloads.local());
    }

    @Override
    public List<Problem> reconcile(ConveyConfig previous, ConveyConfig next) {
        List<Problem> problems = new ArrayList<>();
        String iface = interfaceName;
        Map<Boolean, InetAddress> healthSources = new LinkedHashMap<>(); // one VIP per family (true: IPv6)
        boolean bindHealthToVip = true;
        for (FrontendConfig fe : next.frontends().values()) {
            String path = "frontends." + fe.name() + ".listen_addr";
            String value = "\"" + SocketAddresses.format(fe.listenAddr()) + "\"";
            InetAddress vip = fe.listenAddr().getAddress();
            if (!familyProblems(next, fe, path, value, problems)) {
                continue;
            }
            String owner = interfaceOf(vip);
            if (owner == null) {
                problems.add(Problem.error("config", 0, path, value + " (expected: an address assigned to a local interface)"));
            } else if (iface != null && !iface.equals(owner)) {
                problems.add(Problem.error("config", 0, path, value + " (expected: an address on interface " + iface
                        + ", like the other frontends)"));
            } else {
                iface = owner;
                healthSources.putIfAbsent(vip instanceof Inet6Address, vip);
                var pool = next.backends().get(fe.backend());
                // DSR l2/ipip servers hold the VIP themselves: a check from the VIP would be answered locally.
                if (engine.mode() == io.convey.config.Mode.DSR && pool != null && pool.dsrMethod() != DsrMethod.NAT) {
                    bindHealthToVip = false;
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        if (plane == null && iface != null) {
            try {
                start(iface, next);
            } catch (IOException | RuntimeException e) {
                return List.of(Problem.error("config", 0, "passthrough",
                        "cannot capture on " + iface + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
            }
        } else if (plane != null && !previous.passthrough().equals(next.passthrough())) {
            log.warn("passthrough settings changed; they apply after a restart");
        }
        if (plane != null) {
            // per reload, so a frontend of the other family added later gets checks from its VIP too
            engine.bindHealthChecks(bindHealthToVip ? List.copyOf(healthSources.values()) : List.of(),
                    PacketDataPlane.HEALTH_FIRST_PORT, PacketDataPlane.HEALTH_LAST_PORT);
        }
        return List.of();
    }

    /**
     * Adds the problems of a frontend's address families: IPv6 VIPs work in passthrough and DSR nat only (l2 and
     * ipip are IPv4-only here), and a pool's servers must be of the VIP's family (there is no NAT64).
     *
     * @return true if the frontend has none
     */
    private static final String LINK_LOCAL = " (expected: a global or unique-local IPv6 address: the packet modes do"
            + " not keep the interface scope that a link-local (fe80::/10) address needs)";

    private static boolean isLinkLocal(InetAddress address) {
        return address instanceof Inet6Address v6 && v6.isLinkLocalAddress();
    }

    private boolean familyProblems(ConveyConfig config, FrontendConfig fe, String path, String value,
                                   List<Problem> problems) {
        boolean ipv6 = fe.listenAddr().getAddress() instanceof Inet6Address;
        PoolConfig pool = config.backends().get(fe.backend());
        if (pool == null) {
            return true;
        }
        int before = problems.size();
        if (isLinkLocal(fe.listenAddr().getAddress())) {
            problems.add(Problem.error("config", 0, path, value + LINK_LOCAL));
        }
        Delivery delivery = delivery(engine.mode(), pool.dsrMethod());
        if (ipv6 && (delivery == Delivery.DSR_L2 || delivery == Delivery.DSR_IPIP)) {
            problems.add(Problem.error("config", 0, path, value + " (expected: an IPv4 address for dsr_method "
                    + delivery.id() + ")"));
        }
        for (ServerConfig s : pool.servers().values()) {
            if (isLinkLocal(s.addr().getAddress())) {
                problems.add(Problem.error("config", 0, "backends." + fe.backend() + ".servers." + s.name() + ".addr",
                        "\"" + SocketAddresses.format(s.addr()) + "\"" + LINK_LOCAL));
            } else if ((s.addr().getAddress() instanceof Inet6Address) != ipv6) {
                problems.add(Problem.error("config", 0, "backends." + fe.backend() + ".servers." + s.name() + ".addr",
                        "\"" + SocketAddresses.format(s.addr()) + "\" (expected: an " + (ipv6 ? "IPv6" : "IPv4")
                        + " address like the VIP of frontend " + fe.name() + ": packet modes do not translate between"
                        + " IPv4 and IPv6)"));
            }
        }
        return problems.size() == before;
    }

    private void start(String iface, ConveyConfig config) throws IOException {
        PassthroughConfig pt = config.passthrough();
        PacketDataPlane started = new PacketDataPlane(settings(iface, pt));
        // Capture filters come from the config alone; real schedulers follow at once in stateChanged().
        started.start(frontends(config, null));
        plane = started;
        interfaceName = iface;
        host.start(iface, pt.manageFirewall(), pt.manageOffloads());
    }

    /**
     * The data plane's settings from the config. TCP checksums are not verified: the receiver's kernel verifies them
     * end to end, and the rewrite is incremental (RFC 1624), so a bad checksum stays bad; summing every segment
     * cost 12% of a worker's Java time. The IPv4 header checksum is always verified.
     */
    static PassthroughSettings settings(String iface, PassthroughConfig pt) {
        FlowTimeouts timeouts = new FlowTimeouts(pt.synTimeout(), pt.establishedTimeout(), pt.closingTimeout(),
                Duration.ofSeconds(2));
        int workers = Math.min(pt.workers(), pt.connectionTrackerCapacity());
        return new PassthroughSettings(iface, workers, Math.max(workers, pt.connectionTrackerCapacity()), timeouts,
                Duration.ofMillis(250), false, PassthroughSettings.Capture.valueOf(pt.capture().name()));
    }

    @Override
    public void stateChanged(EngineState state) {
        if (plane == null) {
            return;
        }
        List<PassthroughFrontend> frontends = frontends(state);
        plane.configure(frontends);
        host.checkFirewall(frontends);
    }

    /** How a frontend's packets are delivered: NAT passthrough, or the pool's DSR method in DSR mode. */
    static Delivery delivery(io.convey.config.Mode mode, DsrMethod method) {
        if (mode != io.convey.config.Mode.DSR) {
            return Delivery.PASSTHROUGH;
        }
        return switch (method) {
            case NAT -> Delivery.DSR_NAT;
            case L2 -> Delivery.DSR_L2;
            case IPIP -> Delivery.DSR_IPIP;
        };
    }

    List<PassthroughFrontend> frontends(EngineState state) {
        return frontends(state.config(), state);
    }

    /** The data plane's frontends; with no state yet, schedulers that pick nothing (filters need only addresses). */
    private List<PassthroughFrontend> frontends(ConveyConfig config, EngineState state) {
        List<PassthroughFrontend> out = new ArrayList<>();
        for (FrontendConfig fe : config.frontends().values()) {
            var poolConfig = config.backends().get(fe.backend());
            if (poolConfig == null) {
                continue;
            }
            InetAddress vip = fe.listenAddr().getAddress();
            PoolRuntime pool = state == null ? null : state.pools().get(fe.backend());
            PoolScheduler scheduler = new PoolScheduler(poolConfig, pool);
            out.add(new PassthroughFrontend(fe.name(), vip, fe.listenAddr().getPort(), scheduler.refs(), scheduler,
                    delivery(engine.mode(), poolConfig.dsrMethod())));
        }
        return out;
    }

    /** Maps a pool runtime's Maglev picks to server references; immutable, built once per state. */
    static final class PoolScheduler implements FlowScheduler {
        private final PoolRuntime pool;
        private final ServerRef[] refs;
        private final Map<ServerRef, Boolean> up = new HashMap<>();
        private final java.util.Set<ServerRef> kept = new java.util.HashSet<>();

        /** With a null runtime (before the first state) nothing is picked and every server counts as down. */
        PoolScheduler(io.convey.config.PoolConfig config, PoolRuntime pool) {
            this.pool = pool;
            boolean keep = config.onServerDown() == io.convey.config.ServerDownAction.KEEP;
            List<io.convey.config.ServerConfig> servers = List.copyOf(config.servers().values());
            this.refs = new ServerRef[servers.size()];
            for (int i = 0; i < refs.length; i++) {
                io.convey.config.ServerConfig s = servers.get(i);
                if (s.addr().getAddress() != null) {
                    refs[i] = ServerRef.of(s.name(), s.addr().getAddress(), s.addr().getPort());
                    ServerRuntime runtime = pool == null ? null : pool.servers().get(i);
                    up.put(refs[i], runtime != null && runtime.up() && s.state() != ServerState.DISABLED);
                    if (keep && s.state() != ServerState.DISABLED) {
                        kept.add(refs[i]);
                    }
                }
            }
        }

        @Override
        public boolean keepsFlowsOf(ServerRef server) {
            return kept.contains(server);
        }

        List<ServerRef> refs() {
            return java.util.Arrays.stream(refs).filter(java.util.Objects::nonNull).toList();
        }

        @Override
        public ServerRef pick(int clientIp, int clientPort) {
            if (pool == null) {
                return null;
            }
            int index = pool.balancer().pick(FlowKeys.flowKey(clientIp, clientPort), i -> 0, i -> refs[i] == null);
            return index < 0 ? null : refs[index];
        }

        @Override
        public ServerRef pick(long clientHigh, long clientLow, int clientPort) {
            if (pool == null) {
                return null;
            }
            long key = FlowKeys.flowKey(clientHigh, clientLow, clientPort);
            int index = pool.balancer().pick(key, i -> 0, i -> refs[i] == null);
            return index < 0 ? null : refs[index];
        }

        @Override
        public boolean isUp(ServerRef server) {
            return up.getOrDefault(server, Boolean.FALSE);
        }
    }

    /** Copies the data plane's counters into the appliance's totals (called once a second by the sampler). */
    @Override
    public void syncCounters(io.convey.stats.StatsRegistry stats) {
        TrafficCounters global = stats.global();
        if (plane == null) {
            return;
        }
        PassthroughCounters now = plane.counters();
        PassthroughCounters before = lastCounters;
        lastCounters = now;
        long opened = now.connectionsOpened() - (before == null ? 0 : before.connectionsOpened());
        long closed = now.connectionsClosed() - (before == null ? 0 : before.connectionsClosed());
        long tx = now.bytesToServers() - (before == null ? 0 : before.bytesToServers());
        long rx = now.bytesToClients() - (before == null ? 0 : before.bytesToClients());
        global.add(opened, closed, tx, rx);
    }

    private static String interfaceOf(InetAddress address) {
        try {
            NetworkInterface ni = NetworkInterface.getByInetAddress(address);
            return ni == null ? null : ni.getName();
        } catch (SocketException e) {
            return null;
        }
    }

    @Override
    public Map<String, Object> details() {
        if (plane == null) {
            return Map.of("packet", Map.of("interface", "none"));
        }
        PassthroughCounters c = plane.counters();
        Map<String, Object> packet = new LinkedHashMap<>();
        packet.put("interface", interfaceName);
        packet.put("capture", plane.capture());
        packet.put("active_flows", c.activeFlows());
        packet.put("connections_opened", c.connectionsOpened());
        packet.put("connections_closed", c.connectionsClosed());
        packet.put("bytes_to_servers", c.bytesToServers());
        packet.put("bytes_to_clients", c.bytesToClients());
        packet.put("packets_to_servers", c.packetsToServers());
        packet.put("packets_to_clients", c.packetsToClients());
        packet.put("resets_sent", c.resetsSent());
        packet.put("flows_evicted", c.flowsEvicted());
        packet.put("sent_as_frames", c.sentAsFrames());
        packet.put("sent_routed", c.sentRouted());
        Map<String, Long> drops = new LinkedHashMap<>();
        c.drops().forEach((reason, n) -> drops.put(reason.name().toLowerCase(java.util.Locale.ROOT), n));
        packet.put("dropped", drops);
        packet.put("workers", plane.workerCounters().stream().map(w -> Map.of(
                "active_flows", w.activeFlows(),
                "connections_opened", w.connectionsOpened(),
                "packets_to_servers", w.packetsToServers(),
                "packets_to_clients", w.packetsToClients())).toList());
        return Map.of("packet", packet);
    }

    @Override
    public void close() {
        if (plane != null) {
            plane.close();
        }
        host.undo();
    }
}
