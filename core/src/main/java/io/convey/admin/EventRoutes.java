package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live event stream ({@code GET /api/v1/events}, Server-Sent Events) and the recent events for chart
 * markers ({@code GET /api/v1/events/recent}). Engine events arrive on the engine's threads (some under its
 * write lock), so they are only queued there; one sender thread writes them to the clients, and a slow or
 * gone client costs that thread, never the engine. The queue is bounded: when full, the oldest event goes.
 */
final class EventRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventRoutes.class);

    private final Engine engine;
    private final ObjectMapper mapper;
    private final RecentEvents recent;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> Thread.ofPlatform().daemon().name("admin-events").unstarted(r),
            new ThreadPoolExecutor.DiscardOldestPolicy());
    private final Consumer<EngineEvent> listener = this::onEvent;

    EventRoutes(Engine engine, ObjectMapper mapper, RecentEvents recent) {
        this.engine = engine;
        this.mapper = mapper;
        this.recent = recent;
        engine.addListener(listener);
    }

    void register(JavalinConfig cfg) {
        cfg.routes.sse("/api/v1/events", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            clients.add(client);
            client.sendComment("convey events: stats, health, config, config_rejected, maintenance, announce, vrrp");
        }, Access.VIEWER);
        cfg.routes.get("/api/v1/events/recent", ctx -> ctx.json(new Recent(
                recent.since(Instant.now().minusSeconds(ReadRoutes.seconds(ctx, RecentEvents.MAX_AGE_SECONDS))))), Access.VIEWER);
    }

    /** {@code GET /api/v1/events/recent}. */
    record Recent(List<RecentEvents.Event> events) {}

    private void onEvent(EngineEvent event) {
        String name = switch (event) {
            case EngineEvent.StatsSampled s -> "stats";
            case EngineEvent.HealthChanged h -> "health";
            case EngineEvent.ConfigApplied c -> "config";
            case EngineEvent.ConfigRejected r -> "config_rejected";
            case EngineEvent.MaintenanceChanged m -> "maintenance";
            case EngineEvent.AnnounceChanged a -> "announce";
            case EngineEvent.VrrpChanged v -> "vrrp";
        };
        EventData data = data(event);
        if (!(event instanceof EngineEvent.StatsSampled)) {
            recent.add(new RecentEvents.Event(event.at(), name, data));
        }
        if (clients.isEmpty()) {
            return;
        }
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            log.warn("event not serialisable event={}", name, e);
            return;
        }
        sender.execute(() -> broadcast(name, json));
    }

    private void broadcast(String name, String json) {
        for (SseClient client : clients) {
            if (client.terminated()) {
                clients.remove(client);
                continue;
            }
            client.sendEvent(name, json);
        }
    }

    /** The data of one event as the stream and {@code GET /api/v1/events/recent} send it; one record per event. */
    sealed interface EventData {}

    /** {@code stats}: one sample per scope, every second. */
    record StatsData(Instant t, Map<String, Views.Sample> scopes) implements EventData {}

    /** {@code health}: a server went up or down. */
    record HealthData(Instant at, String pool, String server, String addr, boolean up, String reason) implements EventData {}

    /** {@code config}: a config version was applied. */
    record ConfigData(Instant at, @JsonProperty("config_version") long configVersion, String source, String summary)
            implements EventData {}

    /** {@code config_rejected}: a config was refused, with its problems. */
    record ConfigRejectedData(Instant at, String source, List<Views.ProblemView> problems) implements EventData {}

    /** {@code maintenance}: maintenance mode turned on or off. */
    record MaintenanceData(Instant at, boolean on, String by) implements EventData {}

    /** {@code announce}: a VIP announced, draining or withdrawn. */
    record AnnounceData(Instant at, String vip, String state, String reason) implements EventData {}

    /** {@code vrrp}: a VRRP instance changed state, as keepalived notified. */
    record VrrpData(Instant at, String instance, String state, int priority) implements EventData {}

    static EventData data(EngineEvent event) {
        return switch (event) {
            case EngineEvent.StatsSampled s -> {
                Map<String, Views.Sample> scopes = new LinkedHashMap<>();
                s.samples().forEach((scope, sample) -> scopes.put(scope, Views.Sample.of(sample)));
                yield new StatsData(s.at(), scopes);
            }
            case EngineEvent.HealthChanged h -> new HealthData(h.at(), h.pool(), h.server(), h.addr(), h.up(), h.reason());
            case EngineEvent.ConfigApplied c -> new ConfigData(c.at(), c.version(), c.source(), c.summary());
            case EngineEvent.ConfigRejected r -> new ConfigRejectedData(r.at(), r.source(), Views.ProblemView.of(r.problems()));
            case EngineEvent.MaintenanceChanged c -> new MaintenanceData(c.at(), c.on(), c.by());
            case EngineEvent.AnnounceChanged a -> new AnnounceData(a.at(), a.vip(), a.state(), a.reason());
            case EngineEvent.VrrpChanged v -> new VrrpData(v.at(), v.instance(), v.state(), v.priority());
        };
    }

    @Override
    public void close() {
        engine.removeListener(listener);
        sender.shutdownNow();
        for (SseClient client : clients) {
            if (!client.terminated()) {
                client.close();
            }
        }
        clients.clear();
    }
}
