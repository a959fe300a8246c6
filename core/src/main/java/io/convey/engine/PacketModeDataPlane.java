package io.convey.engine;

import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.PassthroughConfig;
import io.convey.config.Problem;
import io.convey.config.PoolConfig;
import io.convey.config.Protocol;
import io.convey.packet.FirewallSetup;
import io.convey.packet.FlowTimeouts;
import io.convey.packet.PacketDataPlane;
import io.convey.packet.PassthroughCounters;
import io.convey.packet.PassthroughFrontend;
import io.convey.packet.PassthroughSettings;
import io.convey.packet.ReceiveOffloads;
import io.convey.packet.Transport;
import io.convey.stats.StatsRegistry;
import io.convey.stats.TrafficCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passthrough (NAT) and DSR modes: the {@link PacketDataPlane}, fed with one immutable frontend list per engine
 * state, and the host around it ({@link PacketHostSetup}); the rules a config must meet are
 * {@link PacketModeValidation}'s, the mapping of pools to flows {@link PoolScheduler}'s. Servers are chosen by
 * weighted Maglev on the client's address and port, whatever the pool's proxy algorithm, so that a flow stays on its
 * server while other servers come and go.
 */
final class PacketModeDataPlane implements DataPlane {
    private static final Logger log = LoggerFactory.getLogger(PacketModeDataPlane.class);

    private final Engine engine;
    private final PacketHostSetup hostSetup;
    private final PacketModeValidation.Host host;
    private PacketDataPlane plane;
    private String interfaceName;
    private PassthroughCounters lastCounters;

    PacketModeDataPlane(Engine engine, FirewallSetup firewall) {
        this(engine, firewall, PacketModeValidation.Host.LOCAL);
    }

    PacketModeDataPlane(Engine engine, FirewallSetup firewall, PacketModeValidation.Host host) {
        this.engine = engine;
        this.hostSetup = new PacketHostSetup(firewall, ReceiveOffloads.local());
        this.host = host;
    }

    @Override
    public List<Problem> reconcile(ConveyConfig previous, ConveyConfig next) {
        PacketModeValidation.Checked checked = PacketModeValidation.check(engine.mode(), next, interfaceName, host);
        if (!checked.problems().isEmpty()) {
            return checked.problems();
        }
        List<Problem> warnings = PacketModeValidation.proxyOnlyWarnings(engine.mode(), next);
        if (!warnings.equals(PacketModeValidation.proxyOnlyWarnings(engine.mode(), previous)) || plane == null) {
            warnings.forEach(w -> log.warn("config key without effect key={} reason=\"{}\"", w.path(), w.message()));
        }
        String iface = checked.interfaceName();
        if (plane == null && iface != null) {
            try {
                start(iface, next);
            } catch (IOException | RuntimeException e) {
                return List.of(Problem.error("config", 0, "passthrough",
                        "cannot capture on " + iface + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
            }
        } else if (plane != null && !sameStartSettings(previous.passthrough(), next.passthrough())) {
            log.warn("passthrough settings changed; they apply after a restart (source_addr applies at once)");
        }
        if (plane != null) {
            // per reload, so a frontend of the other family added later gets checks from its VIP too
            engine.bindHealthChecks(checked.healthSources(), PacketDataPlane.HEALTH_FIRST_PORT,
                    PacketDataPlane.HEALTH_LAST_PORT);
        }
        return List.of();
    }

    /** True if nothing but {@code source_addr}, which each frontend list carries, changed. */
    private static boolean sameStartSettings(PassthroughConfig a, PassthroughConfig b) {
        return new PassthroughConfig(a.connectionTrackerCapacity(), a.workers(), a.statsUpdateFrequency(),
                a.manageFirewall(), a.synTimeout(), a.establishedTimeout(), a.closingTimeout(), a.capture(),
                a.manageOffloads(), b.sourceAddrs()).equals(b);
    }

    private void start(String iface, ConveyConfig config) throws IOException {
        PassthroughConfig pt = config.passthrough();
        PacketDataPlane started = new PacketDataPlane(settings(iface, pt));
        // Capture filters come from the config alone; real schedulers follow at once in stateChanged().
        started.start(frontends(config, null));
        plane = started;
        interfaceName = iface;
        hostSetup.start(iface, pt.manageFirewall(), pt.manageOffloads());
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
        hostSetup.checkFirewall(frontends);
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
                    PacketDeliveries.of(engine.mode(), poolConfig.dsrMethod()),
                    config.passthrough().sourceAddrFor(vip).orElse(vip),
                    fe.protocol() == Protocol.UDP ? Transport.udp(fe.udp().idleTimeout()) : Transport.TCP,
                    engine.guard(fe.name()), engine.accessSink(fe.name())));
        }
        return out;
    }

    /** Copies the data plane's counters into the appliance's totals (called once a second by the sampler). */
    @Override
    public void syncCounters(StatsRegistry stats) {
        TrafficCounters global = stats.global();
        if (plane == null) {
            return;
        }
        PassthroughCounters now = plane.counters();
        PassthroughCounters before = lastCounters;
        lastCounters = now;
        long opened = now.connectionsOpened() - (before == null ? 0 : before.connectionsOpened());
        long closed = now.connectionsClosed() - (before == null ? 0 : before.connectionsClosed());
        // TCP and UDP payload bytes both: the charts show the appliance's traffic whatever its protocol
        long tx = now.bytesToServers() + now.udp().bytesToServers()
                - (before == null ? 0 : before.bytesToServers() + before.udp().bytesToServers());
        long rx = now.bytesToClients() + now.udp().bytesToClients()
                - (before == null ? 0 : before.bytesToClients() + before.udp().bytesToClients());
        global.add(opened, closed, tx, rx);
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
        packet.put("super_frames_whole", c.superFramesWhole());
        packet.put("super_frames_segmented", c.superFramesSegmented());
        packet.put("capture_statistics_failed", c.captureStatisticsFailed());
        packet.put("udp_flows_opened", c.udp().flowsOpened());
        packet.put("udp_datagrams_to_servers", c.udp().datagramsToServers());
        packet.put("udp_bytes_to_servers", c.udp().bytesToServers());
        packet.put("udp_datagrams_to_clients", c.udp().datagramsToClients());
        packet.put("udp_bytes_to_clients", c.udp().bytesToClients());
        packet.put("udp_dropped_malformed", c.udp().droppedMalformed());
        Map<String, Long> drops = new LinkedHashMap<>();
        c.drops().forEach((reason, n) -> drops.put(reason.name().toLowerCase(Locale.ROOT), n));
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
        hostSetup.undo();
    }
}
