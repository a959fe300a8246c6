package io.convey.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.config.NotifyConfig;
import io.convey.config.NotifyEvent;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns engine events into webhook notifications ({@code [notify]}): server down/up with the reason, a pool
 * without an eligible server and back, config applied or rejected, packet drops above a threshold, a VIP announced
 * or withdrawn with the reason, VRRP state changes and maintenance. Listens on the
 * engine's changing threads and only queues; each hook's {@link HookSender} delivers off the data path, with the
 * JDK's HTTP client on its own executor. The hooks follow the running configuration.
 */
public final class Notifier implements Consumer<EngineEvent>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private final Engine engine;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService httpExecutor;
    private final HttpClient http;
    private final String userAgent;
    private final PoolWatch pools = new PoolWatch();
    private final DropWatch drops = new DropWatch();
    /** Guarded by itself: hooks are reconciled by the engine's writer and read by every event. */
    private final Map<String, HookSender> senders = new HashMap<>();

    private Notifier(Engine engine, String version) {
        this.engine = engine;
        this.userAgent = "convey/" + version;
        this.httpExecutor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "notify-http");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(httpExecutor).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A notifier for the engine's running configuration, subscribed to its events. */
    public static Notifier start(Engine engine, String version) {
        Notifier notifier = new Notifier(engine, version);
        notifier.reconcile();
        notifier.pools.check(engine.pools()); // the start state: a pool already without servers is reported
        notifier.pools.drain().forEach(notifier::send);
        engine.addListener(notifier);
        return notifier;
    }

    @Override
    public void accept(EngineEvent event) {
        switch (event) {
            case EngineEvent.HealthChanged h -> {
                send(h.up() ? NotifyEvent.SERVER_UP : NotifyEvent.SERVER_DOWN, h.at(), body(
                        "pool", h.pool(), "server", h.server(), "addr", h.addr(), "reason", h.reason()));
                poolsChanged();
            }
            case EngineEvent.ConfigApplied c -> {
                reconcile();
                send(NotifyEvent.CONFIG_APPLIED, c.at(), body("version", c.version(), "source", c.source(),
                        "summary", c.summary()));
                poolsChanged();
            }
            case EngineEvent.ConfigRejected r -> send(NotifyEvent.CONFIG_REJECTED, r.at(), body("source", r.source(),
                    "running_version", engine.version(), "problems", r.problems().stream().map(Object::toString).toList()));
            case EngineEvent.StatsSampled s -> {
                NotifyConfig config = notifyConfig();
                if (config.dropThreshold() > 0 && !config.hooks().isEmpty()) {
                    drops.sample(s.at(), engine.dataPlaneDetails(), config).forEach(this::send);
                }
            }
            case EngineEvent.AnnounceChanged a -> send(a.state().equals("announced") ? NotifyEvent.VIP_ANNOUNCED
                    : NotifyEvent.VIP_WITHDRAWN, a.at(), body("vip", a.vip(), "state", a.state(), "reason", a.reason()));
            case EngineEvent.VrrpChanged v -> send(NotifyEvent.VRRP_STATE, v.at(), body("instance", v.instance(),
                    "state", v.state(), "priority", v.priority()));
            case EngineEvent.MaintenanceChanged m -> send(NotifyEvent.MAINTENANCE, m.at(), body("on", m.on(),
                    "by", m.by()));
        }
    }

    private void poolsChanged() {
        pools.check(engine.pools());
        pools.drain().forEach(this::send);
    }

    /** An event ready to send: its kind, when it happened and its fields. */
    record Pending(NotifyEvent event, Instant at, Map<String, Object> fields) {}

    private void send(Pending pending) {
        send(pending.event(), pending.at(), pending.fields());
    }

    private void send(NotifyEvent event, Instant at, Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.id());
        body.put("at", at.toString());
        body.put("config_version", engine.version());
        body.putAll(fields);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings, numbers and lists always serialise", e);
        }
        HookSender.Message message = new HookSender.Message(event.id(), bytes);
        synchronized (senders) {
            for (HookSender sender : senders.values()) {
                if (sender.hook().wants(event)) {
                    sender.offer(message);
                }
            }
        }
    }

    static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private NotifyConfig notifyConfig() {
        var config = engine.config();
        return config == null ? NotifyConfig.NONE : config.notifications();
    }

    /** Makes the senders match the running configuration's hooks; a hook whose queue size changed is re-created. */
    private void reconcile() {
        NotifyConfig config = notifyConfig();
        synchronized (senders) {
            senders.entrySet().removeIf(e -> {
                NotifyConfig.Hook next = config.hooks().get(e.getKey());
                boolean gone = next == null || e.getValue().capacity() != config.queueCapacity();
                if (gone) {
                    e.getValue().close();
                } else {
                    e.getValue().update(next, config);
                }
                return gone;
            });
            config.hooks().forEach((name, hook) -> senders.computeIfAbsent(name, n -> {
                log.info("notification hook ready hook={} url={} events={} signed={}", name, hook.url(),
                        hook.events().size() == NotifyEvent.values().length ? "all" : hook.events().stream().map(NotifyEvent::id).toList(),
                        hook.secretFile().isPresent());
                return new HookSender(http, hook, config, engine.stats().notify(name), userAgent);
            }));
            engine.stats().retainHooks(config.hooks().keySet());
        }
    }

    @Override
    public void close() {
        engine.removeListener(this);
        synchronized (senders) {
            senders.values().forEach(HookSender::close);
            senders.clear();
        }
        httpExecutor.shutdownNow();
    }
}
