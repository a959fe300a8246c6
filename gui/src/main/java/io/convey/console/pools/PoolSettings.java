package io.convey.console.pools;

import io.convey.console.client.Api;
import io.convey.console.fx.FieldProblems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** A pool's algorithm, health check and timeouts as typed in a form: text until it is sent. FX thread only. */
public final class PoolSettings {
    /** The balancing algorithms as the config and the API name them. */
    public static final List<String> ALGORITHMS = List.of("round_robin", "least_connections", "maglev");
    /** The PROXY protocol header written to the pool's servers ({@code send_proxy}). */
    public static final List<String> SEND_PROXY = List.of("none", "v1", "v2");
    /** The integer settings by API field, with the label the forms show. */
    public static final Map<String, String> NUMBERS = labels();

    private final StringProperty algorithm = new SimpleStringProperty(ALGORITHMS.getFirst());
    private final StringProperty sendProxy = new SimpleStringProperty(SEND_PROXY.getFirst());
    private final Map<String, StringProperty> numbers = new LinkedHashMap<>();
    /** Passive health: failures of live traffic count toward fall. */
    private final BooleanProperty observe = new SimpleBooleanProperty();
    /** Half-close (proxy mode): a FIN is passed on and the other direction stays open; off, the first closes both. */
    private final BooleanProperty halfClose = new SimpleBooleanProperty(true);

    public PoolSettings() {
        NUMBERS.keySet().forEach(field -> numbers.put(field, new SimpleStringProperty("")));
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("health_check_interval_ms", "Check interval (ms)");
        labels.put("health_check_timeout_ms", "Check timeout (ms)");
        labels.put("rise", "Rise");
        labels.put("fall", "Fall");
        labels.put("connect_timeout_ms", "Connect timeout (ms)");
        labels.put("idle_timeout_s", "Idle timeout (s)");
        labels.put("queue_size", "Queue size");
        labels.put("queue_timeout_ms", "Queue timeout (ms)");
        labels.put("slow_start_s", "Slow start (s)");
        labels.put("persistence_timeout_s", "Persistence (s)");
        return java.util.Collections.unmodifiableMap(labels);
    }

    public StringProperty algorithm() {
        return algorithm;
    }

    public StringProperty sendProxy() {
        return sendProxy;
    }

    public BooleanProperty observe() {
        return observe;
    }

    public BooleanProperty halfClose() {
        return halfClose;
    }

    public StringProperty number(String field) {
        return numbers.get(field);
    }

    /** Shows a pool's current settings. */
    public void fill(Api.Pool pool) {
        algorithm.set(pool.algorithm());
        sendProxy.set(pool.sendProxy() == null ? "none" : pool.sendProxy());
        numbers.get("health_check_interval_ms").set(String.valueOf(pool.healthCheckIntervalMs()));
        numbers.get("health_check_timeout_ms").set(String.valueOf(pool.healthCheckTimeoutMs()));
        numbers.get("rise").set(String.valueOf(pool.rise()));
        numbers.get("fall").set(String.valueOf(pool.fall()));
        numbers.get("connect_timeout_ms").set(String.valueOf(pool.connectTimeoutMs()));
        numbers.get("idle_timeout_s").set(String.valueOf(pool.idleTimeoutS()));
        numbers.get("queue_size").set(String.valueOf(pool.queueSize()));
        numbers.get("queue_timeout_ms").set(String.valueOf(pool.queueTimeoutMs()));
        numbers.get("slow_start_s").set(String.valueOf(pool.slowStartS()));
        numbers.get("persistence_timeout_s").set(String.valueOf(pool.persistenceTimeoutS()));
        observe.set(pool.observe());
        halfClose.set(pool.halfCloses());
    }

    public void clear() {
        algorithm.set(ALGORITHMS.getFirst());
        sendProxy.set(SEND_PROXY.getFirst());
        numbers.values().forEach(p -> p.set(""));
        observe.set(false);
        halfClose.set(true);
    }

    /**
     * The settings that differ from {@code base} (every filled-in one when {@code base} is null), or empty after
     * filing a problem for each field that is not an integer.
     */
    public Optional<Map<String, Object>> body(Api.Pool base, FieldProblems problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (algorithm.get() != null && (base == null || !algorithm.get().equals(base.algorithm()))) {
            body.put("algorithm", algorithm.get());
        }
        String was = base == null || base.sendProxy() == null ? "none" : base.sendProxy();
        if (sendProxy.get() != null && !sendProxy.get().equals(was)) {
            body.put("send_proxy", sendProxy.get());
        }
        Map<String, Long> current = base == null ? Map.of() : Map.of("health_check_interval_ms",
                base.healthCheckIntervalMs(), "health_check_timeout_ms", base.healthCheckTimeoutMs(), "rise",
                (long) base.rise(), "fall", (long) base.fall(), "connect_timeout_ms", base.connectTimeoutMs(),
                "idle_timeout_s", base.idleTimeoutS(), "queue_size", (long) base.queueSize(), "queue_timeout_ms",
                base.queueTimeoutMs(), "slow_start_s", base.slowStartS(), "persistence_timeout_s",
                base.persistenceTimeoutS());
        if (base == null ? observe.get() : observe.get() != base.observe()) {
            body.put("observe", observe.get());
        }
        if (base == null ? !halfClose.get() : halfClose.get() != base.halfCloses()) {
            body.put("half_close", halfClose.get());
        }
        boolean ok = true;
        for (var entry : numbers.entrySet()) {
            String typed = entry.getValue().get() == null ? "" : entry.getValue().get().strip();
            if (typed.isEmpty()) {
                continue;
            }
            try {
                long value = Long.parseLong(typed);
                if (!Long.valueOf(value).equals(current.get(entry.getKey()))) {
                    body.put(entry.getKey(), value);
                }
            } catch (NumberFormatException e) {
                problems.put(entry.getKey(), typed + " (expected: an integer)");
                ok = false;
            }
        }
        return ok ? Optional.of(body) : Optional.empty();
    }
}
