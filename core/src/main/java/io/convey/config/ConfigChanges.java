package io.convey.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The model and text operations shared by the {@link ConfigChange} records. */
final class ConfigChanges {
    /** Names become TOML keys, URL path segments and stats scopes ("server/pool/name"): keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long MAX_INTERVAL_MS = 86_400_000;

    private ConfigChanges() {}

    static void requireName(String parentPath, String name) throws ConfigEditException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ConfigEditException.of(ConfigEditException.Kind.INVALID, "invalid name", parentPath,
                    (name == null ? "missing name" : "\"" + name + "\"")
                            + " (expected: a name of 1-64 letters, digits, _ or -)");
        }
    }

    static void requirePool(ConveyConfig current, String pool) throws ConfigEditException {
        if (!current.backends().containsKey(pool)) {
            throw ConfigEditException.of(ConfigEditException.Kind.NOT_FOUND, "no pool " + pool, "backends." + pool,
                    "not found (expected: one of " + String.join(", ", current.backends().keySet()) + ")");
        }
    }

    static void requireServer(ConveyConfig current, String pool, String server) throws ConfigEditException {
        requirePool(current, pool);
        if (!current.backends().get(pool).servers().containsKey(server)) {
            throw ConfigEditException.of(ConfigEditException.Kind.NOT_FOUND, "no server " + pool + "/" + server,
                    serverPath(pool, server), "not found (expected: one of "
                            + String.join(", ", current.backends().get(pool).servers().keySet()) + ")");
        }
    }

    static void requireFrontend(ConveyConfig current, String name) throws ConfigEditException {
        if (!current.frontends().containsKey(name)) {
            throw ConfigEditException.of(ConfigEditException.Kind.NOT_FOUND, "no frontend " + name, "frontends." + name,
                    "not found (expected: one of " + String.join(", ", current.frontends().keySet()) + ")");
        }
    }

    /** 0 means "not given" in the file (the seconds key or the default applies), so the API refuses it. */
    static void checkInterval(String pool, ConfigChange.PoolFields fields) throws ConfigEditException {
        Long ms = fields.healthCheckIntervalMs();
        if (ms != null && (ms < 1 || ms > MAX_INTERVAL_MS)) {
            throw ConfigEditException.of(ConfigEditException.Kind.INVALID, "invalid health check interval",
                    "backends." + pool + ".health_check_interval_ms", ms + " (expected: 1-" + MAX_INTERVAL_MS + ")");
        }
    }

    static String serverPath(String pool, String server) {
        return "backends." + pool + ".servers." + server;
    }

    /**
     * Writes pool settings. The interval goes to the original's {@code health_check_interval} (seconds) when
     * it is a whole number of seconds and the file has no {@code health_check_interval_ms}, which would win.
     */
    static void editPool(TomlEditor editor, String pool, ConfigChange.PoolFields f) {
        List<String> path = List.of("backends", pool);
        setIfGiven(editor, path, "algorithm", f.algorithm());
        Long interval = f.healthCheckIntervalMs();
        if (interval != null) {
            boolean seconds = interval % 1000 == 0 && !editor.has(append(path, "health_check_interval_ms"));
            editor.set(append(path, seconds ? "health_check_interval" : "health_check_interval_ms"),
                    seconds ? interval / 1000 : interval);
        }
        setIfGiven(editor, path, "health_check_timeout_ms", f.healthCheckTimeoutMs());
        setIfGiven(editor, path, "rise", f.rise());
        setIfGiven(editor, path, "fall", f.fall());
        setIfGiven(editor, path, "connect_timeout_ms", f.connectTimeoutMs());
        setIfGiven(editor, path, "idle_timeout_s", f.idleTimeoutS());
        setIfGiven(editor, path, "health_check", f.healthCheck());
        setIfGiven(editor, path, "health_check_port", f.healthCheckPort());
        setIfGiven(editor, path, "send_proxy", f.sendProxy());
        if (f.traffic() != null) {
            f.traffic().toml().forEach((key, value) -> editor.set(append(path, key), value));
        }
    }

    private static HealthCheckSettings healthCheck(HealthCheckSettings old, ConfigChange.PoolFields f) {
        HealthCheckType type = f.healthCheck() == null ? old.type()
                : ConfigWord.fromId(HealthCheckType.class, f.healthCheck()).orElseThrow();
        java.util.OptionalInt port = f.healthCheckPort() == null ? old.port()
                : java.util.OptionalInt.of(Math.toIntExact(f.healthCheckPort()));
        return new HealthCheckSettings(type, port);
    }

    /** Writes a frontend's protocol and UDP settings. */
    static void editUdp(TomlEditor editor, String frontend, ConfigChange.UdpFields f) {
        List<String> path = List.of("frontends", frontend);
        setIfGiven(editor, path, "protocol", f.protocol());
        if ("tcp".equals(f.protocol())) { // the UDP keys would be refused on a TCP frontend
            for (String key : List.of("udp_idle_timeout_s", "udp_responses", "udp_max_sessions")) {
                if (editor.has(append(path, key))) {
                    editor.remove(append(path, key));
                }
            }
        }
        setIfGiven(editor, path, "udp_idle_timeout_s", f.idleTimeoutS());
        setIfGiven(editor, path, "udp_responses", f.responses());
        setIfGiven(editor, path, "udp_max_sessions", f.maxSessions());
    }

    /** A frontend with the given fields over {@code old} (null for a new frontend). */
    static FrontendConfig frontend(String name, String listenAddr, String backend, ConfigChange.UdpFields f,
            Long maxConnections, FrontendConfig old) {
        Protocol protocol = f.protocol() != null ? ConfigWord.fromId(Protocol.class, f.protocol()).orElseThrow()
                : old != null ? old.protocol() : Protocol.TCP;
        UdpOptions base = old != null ? old.udp() : UdpOptions.DEFAULT;
        UdpOptions udp = protocol != Protocol.UDP ? UdpOptions.DEFAULT : new UdpOptions(
                f.idleTimeoutS() == null ? base.idleTimeout() : Duration.ofSeconds(f.idleTimeoutS()),
                f.responses() == null ? base.responses() : java.util.OptionalInt.of(Math.toIntExact(f.responses())),
                f.maxSessions() == null ? base.maxSessions() : Math.toIntExact(f.maxSessions()));
        return new FrontendConfig(name, listenAddr == null ? old.listenAddr() : address(listenAddr),
                backend == null ? old.backend() : backend, protocol, udp,
                old != null ? old.preamble() : FrontendPreamble.NONE, old != null ? old.traffic() : FrontendTraffic.NONE,
                maxConnections != null ? Math.toIntExact(maxConnections) : old != null ? old.maxConnections() : 0);
    }

    /** A pool that an SNI map routes to cannot go. */
    static void requireNoSniRoute(FrontendConfig frontend, String pool) throws ConfigEditException {
        for (var route : frontend.preamble().sni().entrySet()) {
            if (route.getValue().equals(pool)) {
                throw ConfigEditException.of(ConfigEditException.Kind.CONFLICT, "pool " + pool + " is used by frontend "
                        + frontend.name() + "'s SNI map", "frontends." + frontend.name() + ".sni." + route.getKey(),
                        "\"" + pool + "\" (expected: no SNI route to the pool to remove)");
            }
        }
    }

    /** Writes a frontend's PROXY header and SNI settings that are given. */
    static void editPreamble(TomlEditor editor, String frontend, ConfigChange.PreambleFields f) {
        List<String> path = List.of("frontends", frontend);
        setIfGiven(editor, path, "accept_proxy", f.acceptProxy());
        setIfGiven(editor, path, "accept_proxy_timeout_ms", f.acceptProxyTimeoutMs());
        setIfGiven(editor, path, "sni_mismatch", f.sniMismatch());
        setIfGiven(editor, path, "sni_timeout_ms", f.sniTimeoutMs());
        editSni(editor, frontend, f.sni());
    }

    /** Replaces the {@code [frontends.x.sni]} table with {@code routes} (null: unchanged; empty: removed). */
    static void editSni(TomlEditor editor, String frontend, Map<String, String> routes) {
        if (routes == null) {
            return;
        }
        List<String> path = List.of("frontends", frontend, "sni");
        if (editor.has(path)) {
            editor.remove(path);
        }
        if (!routes.isEmpty()) {
            editor.addTable(path, new LinkedHashMap<>(routes));
        }
    }

    /** The preamble with the given fields changed (values already validated by the file's re-parse). */
    static FrontendPreamble preamble(FrontendPreamble old, ConfigChange.PreambleFields f) {
        Map<String, String> sni = old.sni();
        if (f.sni() != null) {
            sni = new LinkedHashMap<>();
            for (var route : f.sni().entrySet()) {
                sni.put(route.getKey().toLowerCase(java.util.Locale.ROOT), route.getValue());
            }
        }
        return new FrontendPreamble(f.acceptProxy() == null ? old.acceptProxy() : f.acceptProxy(),
                f.acceptProxyTimeoutMs() == null ? old.acceptProxyTimeout() : Duration.ofMillis(f.acceptProxyTimeoutMs()),
                sni,
                f.sniMismatch() == null ? old.sniMismatch() : ConfigWord.fromId(SniMismatch.class, f.sniMismatch()).orElseThrow(),
                f.sniTimeoutMs() == null ? old.sniTimeout() : Duration.ofMillis(f.sniTimeoutMs()));
    }

    /** The frontend with its PROXY header and SNI settings replaced. */
    static FrontendConfig withPreamble(FrontendConfig f, FrontendPreamble preamble) {
        return new FrontendConfig(f.name(), f.listenAddr(), f.backend(), f.protocol(), f.udp(), preamble, f.traffic(),
                f.maxConnections());
    }

    private static void setIfGiven(TomlEditor editor, List<String> table, String key, Object value) {
        if (value != null) {
            editor.set(append(table, key), value);
        }
    }

    private static List<String> append(List<String> path, String key) {
        return java.util.stream.Stream.concat(path.stream(), java.util.stream.Stream.of(key)).toList();
    }

    /** The pool with the given settings changed (values already validated). */
    static PoolConfig pool(PoolConfig old, ConfigChange.PoolFields f) {
        return new PoolConfig(old.name(), old.servers(),
                f.healthCheckIntervalMs() == null ? old.healthCheckInterval() : Duration.ofMillis(f.healthCheckIntervalMs()),
                f.healthCheckTimeoutMs() == null ? old.healthCheckTimeout() : Duration.ofMillis(f.healthCheckTimeoutMs()),
                f.rise() == null ? old.rise() : Math.toIntExact(f.rise()),
                f.fall() == null ? old.fall() : Math.toIntExact(f.fall()),
                f.connectTimeoutMs() == null ? old.connectTimeout() : Duration.ofMillis(f.connectTimeoutMs()),
                f.idleTimeoutS() == null ? old.idleTimeout() : Duration.ofSeconds(f.idleTimeoutS()),
                f.algorithm() == null ? old.algorithm() : ConfigWord.fromId(Algorithm.class, f.algorithm()).orElseThrow(),
                old.dsrMethod(), old.onServerDown(), healthCheck(old.healthCheck(), f),
                f.sendProxy() == null ? old.sendProxy() : ConfigWord.fromId(SendProxy.class, f.sendProxy()).orElseThrow(),
                traffic(old, f));
    }

    /** The pool's traffic control with the given fields changed; a maglev pool has no persistence, as when read. */
    private static TrafficControl traffic(PoolConfig old, ConfigChange.PoolFields f) {
        TrafficControl t = old.traffic();
        ConfigChange.PoolTrafficFields g = f.traffic();
        Algorithm algorithm = f.algorithm() == null ? old.algorithm()
                : ConfigWord.fromId(Algorithm.class, f.algorithm()).orElseThrow();
        if (g != null) {
            t = new TrafficControl(
                    g.queueSize() == null ? t.queueSize() : Math.toIntExact(g.queueSize()),
                    g.queueTimeoutMs() == null ? t.queueTimeout() : Duration.ofMillis(g.queueTimeoutMs()),
                    g.slowStartS() == null ? t.slowStart() : Duration.ofSeconds(g.slowStartS()),
                    g.observe() == null ? t.observe() : g.observe(),
                    g.persistenceTimeoutS() == null ? t.persistenceTimeout() : Duration.ofSeconds(g.persistenceTimeoutS()),
                    g.halfClose() == null ? t.halfClose() : g.halfClose());
        }
        return algorithm == Algorithm.MAGLEV && !t.persistenceTimeout().isZero()
                ? new TrafficControl(t.queueSize(), t.queueTimeout(), t.slowStart(), t.observe(), Duration.ZERO,
                        t.halfClose()) : t;
    }

    static PoolConfig pool(PoolConfig old, Map<String, ServerConfig> servers) {
        return new PoolConfig(old.name(), servers, old.healthCheckInterval(), old.healthCheckTimeout(), old.rise(),
                old.fall(), old.connectTimeout(), old.idleTimeout(), old.algorithm(), old.dsrMethod(),
                old.onServerDown(), old.healthCheck(), old.sendProxy(), old.traffic());
    }

    /** A server from the given fields over {@code old} (null for a new server: the file's defaults). */
    static ServerConfig server(String name, ConfigChange.ServerFields f, ServerConfig old) {
        InetSocketAddress addr = f.addr() != null ? address(f.addr()) : old.addr();
        int weight = f.weight() != null ? Math.toIntExact(f.weight())
                : old != null ? old.weight() : ServerConfig.DEFAULT_WEIGHT;
        ServerState state = f.state() != null ? ConfigWord.fromId(ServerState.class, f.state()).orElseThrow()
                : old != null ? old.state() : ServerState.ENABLED;
        int maxConnections = f.maxConnections() != null ? Math.toIntExact(f.maxConnections())
                : old != null ? old.maxConnections() : 0;
        return new ServerConfig(name, addr, weight, state, maxConnections);
    }

    static ConveyConfig withServer(ConveyConfig current, String pool, ServerConfig server) {
        PoolConfig old = current.backends().get(pool);
        Map<String, ServerConfig> servers = new LinkedHashMap<>(old.servers());
        servers.put(server.name(), server);
        return withPool(current, pool(old, servers));
    }

    static ConveyConfig withPool(ConveyConfig current, PoolConfig pool) {
        Map<String, PoolConfig> pools = new LinkedHashMap<>(current.backends());
        pools.put(pool.name(), pool);
        return new ConveyConfig(current.frontends(), pools, current.stats(), current.passthrough(), current.admin(),
                current.notifications(), current.announce(), current.proxy(), current.cluster());
    }

    static ConveyConfig withFrontend(ConveyConfig current, FrontendConfig frontend) {
        Map<String, FrontendConfig> frontends = new LinkedHashMap<>(current.frontends());
        frontends.put(frontend.name(), frontend);
        return new ConveyConfig(frontends, current.backends(), current.stats(), current.passthrough(), current.admin(),
                current.notifications(), current.announce(), current.proxy(), current.cluster());
    }

    /** Parses an address the validator has already accepted. */
    static InetSocketAddress address(String text) {
        try {
            return SocketAddresses.parse(text);
        } catch (SocketAddresses.InvalidAddressException e) {
            throw new IllegalStateException("address passed validation but does not parse: " + text, e);
        }
    }
}
