package io.convey.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One edit of the configuration as an operator asks for it (the admin API's writes). Each edit is carried
 * out twice, independently: on the file's TOML text with {@link TomlEditor} (touching only its own lines)
 * and on the model with {@link #applyTo}; the text is kept only if its re-parse equals the edited model.
 * Values stay as given (numbers as {@code Long}, enums and addresses as strings) so that out-of-range
 * values reach the file validator, which reports them like any problem in the file.
 */
public sealed interface ConfigChange {

    /** Refuses edits of missing or duplicate names before anything else is done. */
    void check(ConveyConfig current) throws ConfigEditException;

    /** Applies the edit to the file's text. */
    void editText(TomlEditor editor);

    /** The configuration the edit means; called only once the edited text has validated. */
    ConveyConfig applyTo(ConveyConfig current);

    /** One line for logs and the history, e.g. {@code server web/s1: weight 5}. */
    String summary();

    /** A server's settings; null fields are not given (defaults for a new server, unchanged for an edit). */
    record ServerFields(String addr, Long weight, String state, Long maxConnections) {
        /** Without a connection limit (unchanged for an edit, none for a new server). */
        public ServerFields(String addr, Long weight, String state) {
            this(addr, weight, state, null);
        }

        LinkedHashMap<String, Object> toml() {
            LinkedHashMap<String, Object> values = new LinkedHashMap<>();
            putIfGiven(values, "addr", addr);
            putIfGiven(values, "weight", weight);
            putIfGiven(values, "state", state);
            putIfGiven(values, "max_connections", maxConnections);
            return values;
        }

        String describe() {
            return String.join(", ", toml().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        }
    }

    /** A pool's settings; null fields are not given. */
    record PoolFields(String algorithm, Long healthCheckIntervalMs, Long healthCheckTimeoutMs, Long rise, Long fall,
            Long connectTimeoutMs, Long idleTimeoutS, String healthCheck, Long healthCheckPort, String sendProxy,
            PoolTrafficFields traffic) {

        /** Settings without the health check kind and port, send_proxy nor traffic control. */
        public PoolFields(String algorithm, Long healthCheckIntervalMs, Long healthCheckTimeoutMs, Long rise, Long fall,
                Long connectTimeoutMs, Long idleTimeoutS) {
            this(algorithm, healthCheckIntervalMs, healthCheckTimeoutMs, rise, fall, connectTimeoutMs, idleTimeoutS,
                    null, null, null, null);
        }

        /** Settings without send_proxy nor traffic control. */
        public PoolFields(String algorithm, Long healthCheckIntervalMs, Long healthCheckTimeoutMs, Long rise, Long fall,
                Long connectTimeoutMs, Long idleTimeoutS, String healthCheck, Long healthCheckPort) {
            this(algorithm, healthCheckIntervalMs, healthCheckTimeoutMs, rise, fall, connectTimeoutMs, idleTimeoutS,
                    healthCheck, healthCheckPort, null, null);
        }

        /** Settings without traffic control. */
        public PoolFields(String algorithm, Long healthCheckIntervalMs, Long healthCheckTimeoutMs, Long rise, Long fall,
                Long connectTimeoutMs, Long idleTimeoutS, String healthCheck, Long healthCheckPort, String sendProxy) {
            this(algorithm, healthCheckIntervalMs, healthCheckTimeoutMs, rise, fall, connectTimeoutMs, idleTimeoutS,
                    healthCheck, healthCheckPort, sendProxy, null);
        }

        /** Settings without the health check kind and port nor send_proxy. */
        public PoolFields(String algorithm, Long healthCheckIntervalMs, Long healthCheckTimeoutMs, Long rise, Long fall,
                Long connectTimeoutMs, Long idleTimeoutS, PoolTrafficFields traffic) {
            this(algorithm, healthCheckIntervalMs, healthCheckTimeoutMs, rise, fall, connectTimeoutMs, idleTimeoutS,
                    null, null, null, traffic);
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            addIfGiven(parts, "algorithm", algorithm);
            addIfGiven(parts, "health_check_interval_ms", healthCheckIntervalMs);
            addIfGiven(parts, "health_check_timeout_ms", healthCheckTimeoutMs);
            addIfGiven(parts, "rise", rise);
            addIfGiven(parts, "fall", fall);
            addIfGiven(parts, "connect_timeout_ms", connectTimeoutMs);
            addIfGiven(parts, "idle_timeout_s", idleTimeoutS);
            addIfGiven(parts, "health_check", healthCheck);
            addIfGiven(parts, "health_check_port", healthCheckPort);
            addIfGiven(parts, "send_proxy", sendProxy);
            if (traffic != null) {
                traffic.toml().forEach((key, value) -> addIfGiven(parts, key, value));
            }
            return String.join(", ", parts);
        }
    }

    /** A frontend's protocol and UDP session settings; null fields are not given. */
    record UdpFields(String protocol, Long idleTimeoutS, Long responses, Long maxSessions) {
        public static final UdpFields NONE = new UdpFields(null, null, null, null);

        void describe(List<String> parts) {
            addIfGiven(parts, "protocol", protocol);
            addIfGiven(parts, "udp_idle_timeout_s", idleTimeoutS);
            addIfGiven(parts, "udp_responses", responses);
            addIfGiven(parts, "udp_max_sessions", maxSessions);
        }
    }

    /** A pool's queue, slow start, passive health, persistence and half-close settings; null fields are not given. */
    record PoolTrafficFields(Long queueSize, Long queueTimeoutMs, Long slowStartS, Boolean observe,
            Long persistenceTimeoutS, Boolean halfClose) {
        LinkedHashMap<String, Object> toml() {
            LinkedHashMap<String, Object> values = new LinkedHashMap<>();
            putIfGiven(values, "queue_size", queueSize);
            putIfGiven(values, "queue_timeout_ms", queueTimeoutMs);
            putIfGiven(values, "slow_start_s", slowStartS);
            putIfGiven(values, "observe", observe);
            putIfGiven(values, "persistence_timeout_s", persistenceTimeoutS);
            putIfGiven(values, "half_close", halfClose);
            return values;
        }
    }

    /** Adds a server to an existing pool. */
    record AddServer(String pool, String name, ServerFields fields) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireName("backends." + pool + ".servers", name);
            ConfigChanges.requirePool(current, pool);
            if (current.backends().get(pool).servers().containsKey(name)) {
                throw ConfigEditException.of(ConfigEditException.Kind.CONFLICT, "server " + pool + "/" + name
                        + " already exists", ConfigChanges.serverPath(pool, name), "already exists (expected: a new name)");
            }
        }

        @Override
        public void editText(TomlEditor editor) {
            editor.addTable(List.of("backends", pool, "servers", name), fields.toml());
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            return ConfigChanges.withServer(current, pool, ConfigChanges.server(name, fields, null));
        }

        @Override
        public String summary() {
            return "server " + pool + "/" + name + " added (" + fields.describe() + ")";
        }
    }

    /** Changes a server's weight, state or address. */
    record UpdateServer(String pool, String name, ServerFields fields) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireServer(current, pool, name);
        }

        @Override
        public void editText(TomlEditor editor) {
            fields.toml().forEach((key, value) -> editor.set(List.of("backends", pool, "servers", name, key), value));
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            ServerConfig old = current.backends().get(pool).servers().get(name);
            return ConfigChanges.withServer(current, pool, ConfigChanges.server(name, fields, old));
        }

        @Override
        public String summary() {
            return "server " + pool + "/" + name + ": " + fields.describe();
        }
    }

    /** Removes a server; its established connections finish. */
    record RemoveServer(String pool, String name) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireServer(current, pool, name);
        }

        @Override
        public void editText(TomlEditor editor) {
            editor.remove(List.of("backends", pool, "servers", name));
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            PoolConfig old = current.backends().get(pool);
            Map<String, ServerConfig> servers = new LinkedHashMap<>(old.servers());
            servers.remove(name);
            return ConfigChanges.withPool(current, ConfigChanges.pool(old, servers));
        }

        @Override
        public String summary() {
            return "server " + pool + "/" + name + " removed";
        }
    }

    /** Adds a pool with its servers. */
    record AddPool(String name, PoolFields fields, Map<String, ServerFields> servers) implements ConfigChange {
        public AddPool {
            servers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        }

        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireName("backends", name);
            for (String server : servers.keySet()) {
                ConfigChanges.requireName("backends." + name + ".servers", server);
            }
            if (current.backends().containsKey(name)) {
                throw ConfigEditException.of(ConfigEditException.Kind.CONFLICT, "pool " + name + " already exists",
                        "backends." + name, "already exists (expected: a new name)");
            }
            ConfigChanges.checkInterval(name, fields);
        }

        @Override
        public void editText(TomlEditor editor) {
            editor.addTable(List.of("backends", name), new LinkedHashMap<>());
            ConfigChanges.editPool(editor, name, fields);
            servers.forEach((server, f) -> editor.addTable(List.of("backends", name, "servers", server), f.toml()));
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            Map<String, ServerConfig> configs = new LinkedHashMap<>();
            servers.forEach((server, f) -> configs.put(server, ConfigChanges.server(server, f, null)));
            PoolConfig defaults = new PoolConfig(name, configs, PoolConfig.DEFAULT_INTERVAL,
                    PoolConfig.DEFAULT_CHECK_TIMEOUT, PoolConfig.DEFAULT_RISE, PoolConfig.DEFAULT_FALL,
                    PoolConfig.DEFAULT_CONNECT_TIMEOUT, java.time.Duration.ZERO, Algorithm.ROUND_ROBIN, DsrMethod.NAT,
                    ServerDownAction.RESET, TrafficControl.DEFAULT);
            return ConfigChanges.withPool(current, ConfigChanges.pool(defaults, fields));
        }

        @Override
        public String summary() {
            String settings = fields.describe();
            return "pool " + name + " added (" + servers.size() + " servers" + (settings.isEmpty() ? "" : ", " + settings) + ")";
        }
    }

    /** Changes a pool's algorithm, health check or timeouts. */
    record UpdatePool(String name, PoolFields fields) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requirePool(current, name);
            ConfigChanges.checkInterval(name, fields);
        }

        @Override
        public void editText(TomlEditor editor) {
            ConfigChanges.editPool(editor, name, fields);
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            return ConfigChanges.withPool(current, ConfigChanges.pool(current.backends().get(name), fields));
        }

        @Override
        public String summary() {
            return "pool " + name + ": " + fields.describe();
        }
    }

    /** Removes a pool no frontend uses. */
    record RemovePool(String name) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requirePool(current, name);
            for (FrontendConfig frontend : current.frontends().values()) {
                if (frontend.backend().equals(name)) {
                    throw ConfigEditException.of(ConfigEditException.Kind.CONFLICT, "pool " + name + " is used by frontend "
                            + frontend.name(), "frontends." + frontend.name() + ".backend",
                            "\"" + name + "\" (expected: no frontend using the pool to remove)");
                }
                ConfigChanges.requireNoSniRoute(frontend, name);
            }
        }

        @Override
        public void editText(TomlEditor editor) {
            editor.remove(List.of("backends", name));
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            Map<String, PoolConfig> pools = new LinkedHashMap<>(current.backends());
            pools.remove(name);
            return new ConveyConfig(current.frontends(), pools, current.stats(), current.passthrough(), current.admin(),
                current.notifications(), current.announce(), current.proxy(), current.cluster());
        }

        @Override
        public String summary() {
            return "pool " + name + " removed";
        }
    }

    /**
     * A frontend's PROXY header and SNI settings; null fields are not given. A given {@code sni} replaces the whole
     * map (names to pools); an empty one removes it.
     */
    record PreambleFields(Boolean acceptProxy, Long acceptProxyTimeoutMs, Map<String, String> sni, String sniMismatch,
            Long sniTimeoutMs) {
        public static final PreambleFields NONE = new PreambleFields(null, null, null, null, null);

        public PreambleFields {
            sni = sni == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sni));
        }

        void describeInto(List<String> parts) {
            addIfGiven(parts, "accept_proxy", acceptProxy);
            addIfGiven(parts, "accept_proxy_timeout_ms", acceptProxyTimeoutMs);
            addIfGiven(parts, "sni", sni);
            addIfGiven(parts, "sni_mismatch", sniMismatch);
            addIfGiven(parts, "sni_timeout_ms", sniTimeoutMs);
        }
    }

    /** Adds a frontend (a new listener). */
    record AddFrontend(String name, String listenAddr, String backend, UdpFields udp, PreambleFields preamble,
            Long maxConnections) implements ConfigChange {

        /** A TCP frontend without a connection limit. */
        public AddFrontend(String name, String listenAddr, String backend) {
            this(name, listenAddr, backend, UdpFields.NONE, PreambleFields.NONE, null);
        }

        public AddFrontend(String name, String listenAddr, String backend, UdpFields udp) {
            this(name, listenAddr, backend, udp, PreambleFields.NONE, null);
        }

        public AddFrontend(String name, String listenAddr, String backend, PreambleFields preamble) {
            this(name, listenAddr, backend, UdpFields.NONE, preamble, null);
        }

        /** A TCP frontend with a connection limit (null: none). */
        public AddFrontend(String name, String listenAddr, String backend, Long maxConnections) {
            this(name, listenAddr, backend, UdpFields.NONE, PreambleFields.NONE, maxConnections);
        }

        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireName("frontends", name);
            if (current.frontends().containsKey(name)) {
                throw ConfigEditException.of(ConfigEditException.Kind.CONFLICT, "frontend " + name + " already exists",
                        "frontends." + name, "already exists (expected: a new name)");
            }
        }

        @Override
        public void editText(TomlEditor editor) {
            LinkedHashMap<String, Object> values = new LinkedHashMap<>();
            putIfGiven(values, "listen_addr", listenAddr);
            putIfGiven(values, "backend", backend);
            putIfGiven(values, "protocol", udp.protocol());
            putIfGiven(values, "udp_idle_timeout_s", udp.idleTimeoutS());
            putIfGiven(values, "udp_responses", udp.responses());
            putIfGiven(values, "udp_max_sessions", udp.maxSessions());
            putIfGiven(values, "accept_proxy", preamble.acceptProxy());
            putIfGiven(values, "accept_proxy_timeout_ms", preamble.acceptProxyTimeoutMs());
            putIfGiven(values, "sni_mismatch", preamble.sniMismatch());
            putIfGiven(values, "sni_timeout_ms", preamble.sniTimeoutMs());
            putIfGiven(values, "max_connections", maxConnections);
            editor.addTable(List.of("frontends", name), values);
            ConfigChanges.editSni(editor, name, preamble.sni());
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            FrontendConfig frontend = ConfigChanges.frontend(name, listenAddr, backend, udp, maxConnections, null);
            return ConfigChanges.withFrontend(current, ConfigChanges.withPreamble(frontend,
                    ConfigChanges.preamble(FrontendPreamble.NONE, preamble)));
        }

        @Override
        public String summary() {
            List<String> parts = new ArrayList<>();
            udp.describe(parts);
            preamble.describeInto(parts);
            addIfGiven(parts, "max_connections", maxConnections);
            return "frontend " + name + " added (" + listenAddr + " to " + backend
                    + (parts.isEmpty() ? "" : ", " + String.join(", ", parts)) + ")";
        }
    }

    /**
     * Moves a frontend to another address or pool, or changes its protocol, PROXY header or SNI settings or its
     * connection limit.
     */
    record UpdateFrontend(String name, String listenAddr, String backend, UdpFields udp, PreambleFields preamble,
            Long maxConnections) implements ConfigChange {

        /** Moves the frontend without touching its protocol. */
        public UpdateFrontend(String name, String listenAddr, String backend) {
            this(name, listenAddr, backend, UdpFields.NONE, PreambleFields.NONE, null);
        }

        public UpdateFrontend(String name, String listenAddr, String backend, UdpFields udp) {
            this(name, listenAddr, backend, udp, PreambleFields.NONE, null);
        }

        public UpdateFrontend(String name, String listenAddr, String backend, PreambleFields preamble) {
            this(name, listenAddr, backend, UdpFields.NONE, preamble, null);
        }

        /** Moves the frontend or changes its connection limit (null: unchanged). */
        public UpdateFrontend(String name, String listenAddr, String backend, Long maxConnections) {
            this(name, listenAddr, backend, UdpFields.NONE, PreambleFields.NONE, maxConnections);
        }

        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireFrontend(current, name);
        }

        @Override
        public void editText(TomlEditor editor) {
            if (listenAddr != null) {
                editor.set(List.of("frontends", name, "listen_addr"), listenAddr);
            }
            if (backend != null) {
                editor.set(List.of("frontends", name, "backend"), backend);
            }
            ConfigChanges.editUdp(editor, name, udp);
            ConfigChanges.editPreamble(editor, name, preamble);
            if (maxConnections != null) {
                editor.set(List.of("frontends", name, "max_connections"), maxConnections);
            }
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            FrontendConfig old = current.frontends().get(name);
            FrontendConfig frontend = ConfigChanges.frontend(name, listenAddr, backend, udp, maxConnections, old);
            return ConfigChanges.withFrontend(current, ConfigChanges.withPreamble(frontend,
                    ConfigChanges.preamble(old.preamble(), preamble)));
        }

        @Override
        public String summary() {
            List<String> parts = new ArrayList<>();
            addIfGiven(parts, "listen_addr", listenAddr);
            addIfGiven(parts, "backend", backend);
            udp.describe(parts);
            preamble.describeInto(parts);
            addIfGiven(parts, "max_connections", maxConnections);
            return "frontend " + name + ": " + String.join(", ", parts);
        }
    }

    /** Removes a frontend: it stops listening, its established connections finish. */
    record RemoveFrontend(String name) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireFrontend(current, name);
        }

        @Override
        public void editText(TomlEditor editor) {
            editor.remove(List.of("frontends", name));
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            Map<String, FrontendConfig> frontends = new LinkedHashMap<>(current.frontends());
            frontends.remove(name);
            return new ConveyConfig(frontends, current.backends(), current.stats(), current.passthrough(), current.admin(),
                current.notifications(), current.announce(), current.proxy(), current.cluster());
        }

        @Override
        public String summary() {
            return "frontend " + name + " removed";
        }
    }

    /**
     * Changes a frontend's traffic control; null fields stay as they are. {@code rateLimit} 0 turns the limit off,
     * {@code accessLog} "off" turns the log off.
     */
    record UpdateFrontendTraffic(String name, TrafficFields fields) implements ConfigChange {
        @Override
        public void check(ConveyConfig current) throws ConfigEditException {
            ConfigChanges.requireFrontend(current, name);
            fields.check(name);
        }

        @Override
        public void editText(TomlEditor editor) {
            fields.edit(editor, List.of("frontends", name));
        }

        @Override
        public ConveyConfig applyTo(ConveyConfig current) {
            FrontendConfig old = current.frontends().get(name);
            return ConfigChanges.withFrontend(current, new FrontendConfig(name, old.listenAddr(), old.backend(),
                    old.protocol(), old.udp(), old.preamble(), fields.applyTo(old.traffic()), old.maxConnections()));
        }

        @Override
        public String summary() {
            return "frontend " + name + ": " + fields.describe();
        }
    }

    private static void putIfGiven(Map<String, Object> values, String key, Object value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    private static void addIfGiven(List<String> parts, String key, Object value) {
        if (value != null) {
            parts.add(key + " " + value);
        }
    }
}
