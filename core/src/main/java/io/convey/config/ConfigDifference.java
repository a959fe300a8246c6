package io.convey.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two configurations, in one line for the history ("backend4 removed; backend1 weight 5 → 1"),
 * so that a hand edit of the file is recorded as what it did rather than "config file changed". Computed once, on
 * the appliance, so that the dashboard, the console and the webhooks all show the same words.
 */
public final class ConfigDifference {
    /** What a file whose meaning did not change is summarised as (comments, layout, key order). */
    public static final String NOTHING = "no setting changed (comments or layout only)";

    private static final Set<String> POOL_FIELDS_SHOWN_APART = Set.of("name", "servers");
    private static final Set<String> CONFIG_FIELDS_SHOWN_APART = Set.of("frontends", "backends");

    private ConfigDifference() {}

    /** The changes from {@code before} to {@code after}, separated by "; ", or {@link #NOTHING}. */
    public static String describe(ConveyConfig before, ConveyConfig after) {
        List<String> changes = changes(before, after);
        return changes.isEmpty() ? NOTHING : String.join("; ", changes);
    }

    /** Each change on its own: frontends, then pools and their servers, then the other sections. */
    public static List<String> changes(ConveyConfig before, ConveyConfig after) {
        List<String> out = new ArrayList<>();
        frontends(before.frontends(), after.frontends(), out);
        // a server is named alone while there is one pool, else as pool/server
        boolean qualify = before.backends().size() > 1 || after.backends().size() > 1;
        before.backends().forEach((name, pool) -> {
            PoolConfig next = after.backends().get(name);
            if (next == null) {
                out.add("pool " + name + " removed");
            } else {
                pool(pool, next, qualify, out);
            }
        });
        after.backends().forEach((name, pool) -> {
            if (!before.backends().containsKey(name)) {
                out.add("pool " + name + " added (" + servers(pool.servers().size()) + ")");
            }
        });
        for (RecordComponent c : ConveyConfig.class.getRecordComponents()) {
            if (!CONFIG_FIELDS_SHOWN_APART.contains(c.getName()) && !Objects.equals(value(c, before), value(c, after))) {
                out.add("[" + section(c.getName()) + "] changed");
            }
        }
        return out;
    }

    private static void frontends(Map<String, FrontendConfig> before, Map<String, FrontendConfig> after, List<String> out) {
        before.forEach((name, f) -> {
            FrontendConfig next = after.get(name);
            if (next == null) {
                out.add("frontend " + name + " removed");
            } else if (!f.equals(next)) {
                out.add("frontend " + name + " " + String.join(", ", fields(f, next, Set.of("name"))));
            }
        });
        after.forEach((name, f) -> {
            if (!before.containsKey(name)) {
                out.add("frontend " + name + " added (" + SocketAddresses.format(f.listenAddr()) + " → pool " + f.backend() + ")");
            }
        });
    }

    private static void pool(PoolConfig before, PoolConfig after, boolean qualify, List<String> out) {
        String prefix = qualify ? before.name() + "/" : "";
        before.servers().forEach((name, s) -> {
            if (!after.servers().containsKey(name)) {
                out.add(prefix + name + " removed");
            }
        });
        after.servers().forEach((name, s) -> {
            ServerConfig old = before.servers().get(name);
            if (old == null) {
                out.add(prefix + name + " added (" + SocketAddresses.format(s.addr()) + ", weight " + s.weight() + ")");
            } else if (!old.equals(s)) {
                out.add(prefix + name + " " + String.join(", ", fields(old, s, Set.of("name"))));
            }
        });
        List<String> settings = fields(before, after, POOL_FIELDS_SHOWN_APART);
        if (!settings.isEmpty()) {
            out.add("pool " + before.name() + " " + String.join(", ", settings));
        }
    }

    /**
     * The components of two records of one type that differ, as "key old → new" (the TOML key's words); components
     * that are records themselves (a section of settings) are named as changed. Reflection over the record's own
     * components keeps this true when a component is added.
     */
    private static List<String> fields(Record before, Record after, Set<String> skipped) {
        List<String> out = new ArrayList<>();
        for (RecordComponent c : before.getClass().getRecordComponents()) {
            Object a = value(c, before);
            Object b = value(c, after);
            if (skipped.contains(c.getName()) || Objects.equals(a, b)) {
                continue;
            }
            String key = snake(c.getName());
            out.add(a instanceof Record || b instanceof Record || a instanceof Map<?, ?> || a instanceof Iterable<?>
                    ? key + " changed" : key + " " + text(a) + " → " + text(b));
        }
        return out;
    }

    private static Object value(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("record component " + c.getName() + " cannot be read", e);
        }
    }

    private static String text(Object value) {
        return switch (value) {
            case null -> "none";
            case ConfigWord word -> word.id();
            case Duration d -> d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
            case java.net.InetSocketAddress addr -> SocketAddresses.format(addr);
            default -> String.valueOf(value);
        };
    }

    private static String servers(int n) {
        return n == 1 ? "1 server" : n + " servers";
    }

    private static String section(String component) {
        return component.equals("notifications") ? "notify" : snake(component);
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
