package io.convey.announce;

import io.convey.announce.VipState.Announcement;
import io.convey.announce.VipState.Reason;
import io.convey.config.AnnounceConfig;
import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import io.convey.engine.PoolView;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The announce adapter: follows the engine (config, health, maintenance) and holds exactly the VIPs that should be
 * announced on the {@link VipLink} that BIRD exports; reads the BGP sessions from BIRD and the VRRP state from
 * keepalived for the status and the metrics. It makes no routing decision of its own beyond "announce or not".
 *
 * <p>One thread ({@code announce}) applies changes, in order; engine listeners only schedule it, as they must be
 * quick. A second thread polls BIRD, whose socket could block.
 */
public final class Announcer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);
    /** A safety net besides the events: the whole state is recomputed this often. */
    private static final long RESYNC_SECONDS = 2;

    private final Engine engine;
    private final Optional<VipLink> link;
    private final Optional<BirdControl> bird;
    private final Optional<VrrpNotifications> vrrp;
    private final ScheduledExecutorService worker;
    private final ScheduledExecutorService poller;
    private final Consumer<EngineEvent> listener = this::onEvent;
    /** Written by the worker thread only; read by status requests. */
    private volatile List<VipState> states = List.of();
    private volatile Map<String, Object> bgpSessions = Map.of("state", "not read yet");
    private final Map<InetAddress, Announcement> applied = new LinkedHashMap<>();
    private boolean stopping;

    private Announcer(Engine engine, Optional<VipLink> link, Optional<BirdControl> bird,
            Optional<VrrpNotifications> vrrp) {
        this.engine = engine;
        this.link = link;
        this.bird = bird;
        this.vrrp = vrrp;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("announce")
                .unstarted(r));
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("announce-bird").unstarted(r));
    }

    /**
     * Starts what the running config asks for: with {@code [bgp]} the VIP devices and the BIRD reader, with
     * {@code [vrrp]} the notify FIFO. A part that cannot start (no CAP_NET_ADMIN, say) is logged and shown in the
     * status; the appliance runs on. Returns null when the config has neither section.
     */
    public static Announcer start(Engine engine) {
        AnnounceConfig config = engine.config().announce();
        if (config.bgp().isEmpty() && config.vrrp().isEmpty()) {
            return null;
        }
        Optional<VipLink> link = Optional.empty();
        Optional<BirdControl> bird = Optional.empty();
        if (config.bgp().isPresent()) {
            bird = Optional.of(new BirdControl(config.bgp().get().controlSocket()));
            try {
                link = Optional.of(TunVipLink.create());
            } catch (IOException | RuntimeException e) {
                log.warn("VIPs cannot be announced: {}", e.getMessage());
            }
        }
        Optional<VrrpNotifications> vrrp = Optional.empty();
        if (config.vrrp().isPresent()) {
            try {
                vrrp = Optional.of(VrrpNotifications.open(config.vrrp().get().notifyFifo(), s -> engine.publishAnnounce(
                        new EngineEvent.VrrpChanged(s.at(), s.instance(), s.state(), s.priority()))));
            } catch (IOException e) {
                log.warn("VRRP state cannot be recorded: {}", e.getMessage());
            }
        }
        Announcer announcer = new Announcer(engine, link, bird, vrrp);
        engine.addListener(announcer.listener);
        engine.reportAnnounce(announcer::details);
        announcer.worker.scheduleWithFixedDelay(announcer::refresh, 0, RESYNC_SECONDS, TimeUnit.SECONDS);
        if (bird.isPresent()) {
            announcer.poller.scheduleWithFixedDelay(announcer::pollBird, 0, 1, TimeUnit.SECONDS);
        }
        return announcer;
    }

    private void onEvent(EngineEvent event) {
        if (event instanceof EngineEvent.StatsSampled) {
            return;
        }
        try {
            worker.execute(this::refresh);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: the final withdrawal is under way
        }
    }

    /** Recomputes every VIP's state and brings the held addresses in line. Worker thread only. */
    private void refresh() {
        if (stopping) {
            return;
        }
        try {
            ConveyConfig config = engine.config();
            boolean drain = config.announce().bgp().map(b -> b.medDrain().isPresent()).orElse(false);
            List<VipState> next = AnnouncePolicy.decide(Vips.of(config), servingFrontends(config),
                    engine.maintenance(), drain);
            if (link.isEmpty() && config.announce().bgp().isPresent()) {
                next = next.stream().map(s -> new VipState(s.vip(), s.frontends(), Announcement.WITHDRAWN,
                        Reason.NOT_HELD)).toList();
            }
            apply(next);
        } catch (RuntimeException e) {
            log.warn("announcements not updated", e);
        }
    }

    private Set<String> servingFrontends(ConveyConfig config) {
        Set<String> servingPools = new HashSet<>();
        for (PoolView pool : engine.pools()) {
            // A server counts once it has been checked and found up: announcing before the first check would
            // draw traffic to an appliance whose servers may all be down.
            boolean any = pool.servers().stream().anyMatch(s -> s.eligible() && s.health() != null
                    && s.health().checked() && s.health().up());
            if (any) {
                servingPools.add(pool.config().name());
            }
        }
        Set<String> serving = new HashSet<>();
        for (FrontendConfig f : config.frontends().values()) {
            if (servingPools.contains(f.backend())) {
                serving.add(f.name());
            }
        }
        return serving;
    }

    private void apply(List<VipState> next) {
        Set<InetAddress> gone = new HashSet<>(applied.keySet());
        for (VipState s : next) {
            gone.remove(s.vip());
            Announcement before = applied.get(s.vip());
            if (before == s.announcement()) {
                continue;
            }
            try {
                if (link.isPresent()) {
                    if (s.announcement() == Announcement.WITHDRAWN) {
                        link.get().release(s.vip());
                    } else {
                        link.get().hold(s.vip(), s.announcement() == Announcement.DRAINING);
                    }
                }
                applied.put(s.vip(), s.announcement());
                engine.publishAnnounce(new EngineEvent.AnnounceChanged(Instant.now(), Vips.text(s.vip()),
                        s.announcement().id(), s.reason().id()));
                log.info("VIP {} vip={} frontends={} reason=\"{}\"", s.announcement().id(), Vips.text(s.vip()),
                        s.frontends(), s.reason().text());
            } catch (IOException e) {
                log.warn("VIP not changed vip={} wanted={}: {}", Vips.text(s.vip()), s.announcement().id(),
                        e.getMessage());
            }
        }
        for (InetAddress vip : gone) {
            try {
                if (link.isPresent()) {
                    link.get().release(vip);
                }
                applied.remove(vip);
                log.info("VIP withdrawn vip={} reason=\"no longer a frontend address\"", Vips.text(vip));
            } catch (IOException e) {
                log.warn("VIP not withdrawn vip={}: {}", Vips.text(vip), e.getMessage());
            }
        }
        states = List.copyOf(next);
    }

    private void pollBird() {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            List<Map<String, Object>> sessions = new ArrayList<>();
            for (BirdControl.Protocol p : bird.orElseThrow().bgpSessions()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", BirdSetup.peerName(p.name()) == null ? p.name() : BirdSetup.peerName(p.name()));
                s.put("protocol", p.name());
                s.put("state", p.state());
                s.put("since", p.since());
                s.put("info", p.info());
                sessions.add(s);
            }
            m.put("state", "read");
            m.put("sessions", sessions);
        } catch (IOException | RuntimeException e) {
            m.put("state", "unreachable");
            m.put("error", e.getMessage());
            m.put("sessions", List.of());
        }
        m.put("read_at", Instant.now());
        bgpSessions = m;
    }

    /** Whether this appliance should hold its VIPs now: one of them is announced (or draining). */
    public boolean serving() {
        return states.stream().anyMatch(s -> s.announcement() != Announcement.WITHDRAWN);
    }

    /** The status section: per VIP state and reason, BGP sessions as BIRD reports them, VRRP state. */
    public Map<String, Object> details() {
        ConveyConfig config = engine.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maintenance", engine.maintenance());
        m.put("method", config.announce().bgp().isPresent() && config.announce().vrrp().isPresent() ? "bgp+vrrp"
                : config.announce().bgp().isPresent() ? "bgp" : "vrrp");
        List<Map<String, Object>> vips = new ArrayList<>();
        for (VipState s : states) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("vip", Vips.text(s.vip()));
            v.put("frontends", s.frontends());
            v.put("state", s.announcement().id());
            v.put("reason", s.reason().id());
            v.put("reason_text", s.reason().text());
            vips.add(v);
        }
        m.put("vips", vips);
        if (config.announce().bgp().isPresent()) {
            m.put("bgp", bgpSessions);
        }
        if (config.announce().vrrp().isPresent()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("fifo", config.announce().vrrp().get().notifyFifo().toString());
            List<Map<String, Object>> instances = new ArrayList<>();
            vrrp.ifPresent(n -> n.states().values().forEach(st -> {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("instance", st.instance());
                i.put("state", st.state());
                i.put("priority", st.priority());
                i.put("since", st.at());
                instances.add(i);
            }));
            v.put("state", vrrp.isEmpty() ? "not recorded" : instances.isEmpty() ? "unknown"
                    : instances.getFirst().get("state"));
            v.put("instances", instances);
            m.put("vrrp", v);
        }
        return m;
    }

    /** Withdraws every VIP (reason: stopping) and removes the devices; called before the engine stops. */
    @Override
    public void close() {
        engine.removeListener(listener);
        poller.shutdownNow();
        try {
            worker.submit(() -> {
                List<VipState> last = states.stream().map(s -> new VipState(s.vip(), s.frontends(),
                        Announcement.WITHDRAWN, Reason.STOPPING)).toList();
                apply(last);
                stopping = true;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("VIPs not withdrawn one by one at stop; the devices go with the process", e);
        }
        worker.shutdownNow();
        link.ifPresent(VipLink::close);
        vrrp.ifPresent(VrrpNotifications::close);
    }
}
