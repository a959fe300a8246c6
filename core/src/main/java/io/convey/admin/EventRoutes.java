package io.convey.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.LinkedHashMap;
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
        cfg.routes.get("/api/v1/events/recent", ctx -> ctx.json(Map.of("events",
                recent.since(Instant.now().minusSeconds(ReadRoutes.seconds(ctx, RecentEvents.MAX_AGE_SECONDS))))), Access.VIEWER);
    }

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
        Map<String, Object> data = data(event);
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

    static Map<String, Object> data(EngineEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (event) {
            case EngineEvent.StatsSampled s -> {
                m.put("t", s.at());
                Map<String, Object> scopes = new LinkedHashMap<>();
                s.samples().forEach((scope, sample) -> scopes.put(scope, Views.Sample.of(sample)));
                m.put("scopes", scopes);
            }
            case EngineEvent.HealthChanged h -> {
                m.put("at", h.at());
                m.put("pool", h.pool());
                m.put("server", h.server());
                m.put("addr", h.addr());
                m.put("up", h.up());
                m.put("reason", h.reason());
            }
            case EngineEvent.ConfigApplied c -> {
                m.put("at", c.at());
                m.put("config_version", c.version());
                m.put("source", c.source());
                m.put("summary", c.summary());
            }
            case EngineEvent.ConfigRejected r -> {
                m.put("at", r.at());
                m.put("source", r.source());
                m.put("problems", Views.ProblemView.of(r.problems()));
            }
            case EngineEvent.MaintenanceChanged c -> {
                m.put("at", c.at());
                m.put("on", c.on());
                m.put("by", c.by());
            }
            case EngineEvent.AnnounceChanged a -> {
                m.put("at", a.at());
                m.put("vip", a.vip());
                m.put("state", a.state());
                m.put("reason", a.reason());
            }
            case EngineEvent.VrrpChanged v -> {
                m.put("at", v.at());
                m.put("instance", v.instance());
                m.put("state", v.state());
                m.put("priority", v.priority());
            }
        }
        return m;
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
