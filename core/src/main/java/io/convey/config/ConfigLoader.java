package io.convey.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Reads and validates a Convey TOML file (a superset of the original convey's schema) into an immutable
 * {@link ConveyConfig}, collecting every problem with its file, line and key path instead of stopping at
 * the first.
 */
public final class ConfigLoader {
    private static final Set<String> ROOT_KEYS = Set.of("frontends", "backends", "stats", "passthrough", "admin",
            "notify", "proxy", "cluster");
    private static final Set<String> FRONTEND_KEYS = union(union(union(Set.of("listen_addr", "backend", "max_connections"),
            ProtocolKeys.FRONTEND_KEYS), PreambleReader.FRONTEND_KEYS), TrafficReader.KEYS);
    private static final Set<String> POOL_KEYS = Set.of("servers", "health_check_interval", "health_check_interval_ms", "health_check_timeout_ms",
            "rise", "fall", "connect_timeout_ms", "idle_timeout_s", "algorithm", "dsr_method",
            "on_server_down", "health_check", "health_check_port", "send_proxy", "queue_size", "queue_timeout_ms",
            "slow_start_s", "observe", "persistence_timeout_s", "half_close");
    private static final Set<String> SERVER_KEYS = Set.of("addr", "weight", "state", "max_connections");
    private static final Set<String> STATS_KEYS = Set.of("port");
    private static final Set<String> ADMIN_KEYS = Set.of("listen_addr", "token_file", "tls", "tls_cert", "tls_key",
            "state_dir", "users_file", "allowed_hosts", "protect_metrics", "session_idle_timeout_s", "session_max_age_s");
    private static final Set<String> PASSTHROUGH_KEYS = Set.of("connection_tracker_capacity", "workers",
            "stats_update_frequency", "manage_firewall", "syn_timeout_s", "established_timeout_s", "closing_timeout_s", "capture",
            "manage_offloads", "source_addr");
    private static final Set<String> PROXY_KEYS = Set.of("transport");
    static final int DEFAULT_STATS_PORT = 7000;

    private final String fileName;
    private final Path baseDir;
    private final TomlParseResult root;
    private final List<Problem> problems = new ArrayList<>();

    private ConfigLoader(String fileName, Path baseDir, TomlParseResult root) {
        this.fileName = fileName;
        this.baseDir = baseDir;
        this.root = root;
    }

    /** Loads a file; an unreadable file is reported as a problem, never thrown. */
    public static LoadResult load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new LoadResult(Optional.empty(), List.of(UnreadableFile.problem(file, e)));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /** Parses TOML text; {@code fileName} is used in problem locations only. */
    public static LoadResult parse(String text, String fileName) {
        return parse(text, fileName, Path.of("."));
    }

    /** Parses TOML text, resolving relative paths (the admin token file) against {@code baseDir}. */
    public static LoadResult parse(String text, String fileName, Path baseDir) {
        TomlParseResult parsed = Toml.parse(text);
        if (parsed.hasErrors()) {
            List<Problem> syntax = new ArrayList<>();
            for (TomlParseError error : parsed.errors()) {
                syntax.add(Problem.error(fileName, error.position().line(), "", "TOML syntax: " + syntaxMessage(error)));
            }
            return new LoadResult(Optional.empty(), syntax);
        }
        return new ConfigLoader(fileName, baseDir, parsed).read();
    }

    private static String syntaxMessage(TomlParseError error) {
        String message = error.getMessage();
        // tomlj appends " (line L, column C)"; the line is already in the location prefix.
        int at = message.lastIndexOf(" (line ");
        return at > 0 ? message.substring(0, at) : message;
    }

    private LoadResult read() {
        warnUnknown(root, List.of(), union(ROOT_KEYS, AnnounceConfigReader.ROOT_KEYS));
        Map<String, PoolConfig> pools = readPools();
        Map<String, FrontendConfig> frontends = readFrontends(pools);
        warnHalfCloseWithoutStreams(pools, frontends);
        AnnounceConfig announce = new AnnounceConfigReader(this, baseDir).read();
        StatsConfig stats = readStats();
        PassthroughConfig passthrough = readPassthrough();
        AdminConfig admin = readAdmin();
        NotifyConfig notify = NotifyReader.read(notifyAccess());
        ProxyConfig proxy = readProxy();
        Optional<ClusterConfig> cluster = ClusterReader.read(notifyAccess());
        boolean failed = problems.stream().anyMatch(p -> !p.warning());
        Optional<ConveyConfig> config = failed ? Optional.empty()
                : Optional.of(new ConveyConfig(frontends, pools, stats, passthrough, admin, notify, announce, proxy,
                        cluster));
        return new LoadResult(config, problems);
    }

    private Map<String, FrontendConfig> readFrontends(Map<String, PoolConfig> pools) {
        Map<String, FrontendConfig> frontends = new LinkedHashMap<>();
        Map<List<Object>, String> byAddress = new HashMap<>(); // TCP and UDP may share an address (DNS does)
        TomlTable table = table(List.of(), "frontends");
        if (table == null) {
            return frontends;
        }
        for (String name : table.keySet()) {
            List<String> path = List.of("frontends", name);
            TomlTable fe = table(List.of("frontends"), name);
            if (fe == null) {
                continue;
            }
            warnUnknown(fe, path, FRONTEND_KEYS);
            InetSocketAddress listen = address(fe, path, "listen_addr", true);
            String backend = string(fe, path, "backend", true);
            Protocol protocol = ProtocolKeys.protocol(this, fe, path);
            UdpOptions udp = ProtocolKeys.udp(this, fe, path, protocol);
            FrontendTraffic traffic = new TrafficReader(this).read(fe, path);
            if (backend != null && !pools.containsKey(backend) && !hasTable(List.of("backends", backend))) {
                error(append(path, "backend"), SocketAddresses.quote(backend) + " (expected: a pool defined in [backends])");
            }
            if (listen != null && listen.getPort() == 0) { // a listener on port 0 is a test trick, not a setting
                error(append(path, "listen_addr"), SocketAddresses.quote(SocketAddresses.format(listen))
                        + " (expected: a port 1-65535)");
            } else if (listen != null) {
                String previous = byAddress.putIfAbsent(List.of(protocol, listen), name);
                if (previous != null) {
                    error(append(path, "listen_addr"), SocketAddresses.quote(SocketAddresses.format(listen))
                            + " (expected: an address not used by frontend " + previous + ")");
                }
            }
            int maxConnections = frontendMaxConnections(fe, path, protocol);
            FrontendPreamble preamble = new PreambleReader(this).read(fe, path, pools.keySet(), protocol);
            if (listen != null && backend != null && preamble != null) {
                frontends.put(name, new FrontendConfig(name, listen, backend, protocol, udp, preamble, traffic,
                        maxConnections));
            }
        }
        return frontends;
    }

    private Map<String, PoolConfig> readPools() {
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        TomlTable table = table(List.of(), "backends");
        if (table == null) {
            return pools;
        }
        for (String name : table.keySet()) {
            List<String> path = List.of("backends", name);
            TomlTable pool = table(List.of("backends"), name);
            if (pool == null) {
                continue;
            }
            warnUnknown(pool, path, POOL_KEYS);
            int errorsBefore = errorCount();
            Map<String, ServerConfig> servers = readServers(pool, path);
            long intervalSeconds = integer(pool, path, "health_check_interval", 0, 0, 86_400);
            Duration interval = intervalSeconds == 0 ? PoolConfig.DEFAULT_INTERVAL : Duration.ofSeconds(intervalSeconds);
            long intervalMillis = integer(pool, path, "health_check_interval_ms", 0, 0, 86_400_000);
            if (intervalMillis > 0) {
                interval = Duration.ofMillis(intervalMillis); // finer than the original's seconds, when given
            }
            Duration checkTimeout = Duration.ofMillis(integer(pool, path, "health_check_timeout_ms",
                    PoolConfig.DEFAULT_CHECK_TIMEOUT.toMillis(), 1, 600_000));
            int rise = (int) integer(pool, path, "rise", PoolConfig.DEFAULT_RISE, 1, 100);
            int fall = (int) integer(pool, path, "fall", PoolConfig.DEFAULT_FALL, 1, 100);
            Duration connectTimeout = Duration.ofMillis(integer(pool, path, "connect_timeout_ms",
                    PoolConfig.DEFAULT_CONNECT_TIMEOUT.toMillis(), 1, 600_000));
            Duration idleTimeout = Duration.ofSeconds(integer(pool, path, "idle_timeout_s", 0, 0, 31_536_000));
            Algorithm algorithm = enumValue(pool, path, "algorithm", Algorithm.ROUND_ROBIN, Algorithm.class);
            DsrMethod dsrMethod = enumValue(pool, path, "dsr_method", DsrMethod.NAT, DsrMethod.class);
            ServerDownAction onServerDown = enumValue(pool, path, "on_server_down", ServerDownAction.RESET,
                    ServerDownAction.class);
            HealthCheckSettings healthCheck = ProtocolKeys.healthCheck(this, pool, path);
            SendProxy sendProxy = enumValue(pool, path, "send_proxy", SendProxy.NONE, SendProxy.class);
            TrafficControl traffic = readTrafficControl(pool, path, algorithm);
            if (errorCount() == errorsBefore) {
                pools.put(name, new PoolConfig(name, servers, interval, checkTimeout, rise, fall, connectTimeout,
                        idleTimeout, algorithm, dsrMethod, onServerDown, healthCheck, sendProxy, traffic));
            }
        }
        return pools;
    }

    /**
     * {@code half_close = false} on a pool that only UDP frontends use: datagrams have no FIN, so the key would do
     * nothing there, and the file would be believed. A pool no frontend uses yet is left alone.
     */
    private void warnHalfCloseWithoutStreams(Map<String, PoolConfig> pools, Map<String, FrontendConfig> frontends) {
        for (PoolConfig pool : pools.values()) {
            if (pool.traffic().halfClose()) {
                continue;
            }
            boolean udp = false;
            boolean tcp = false;
            for (FrontendConfig fe : frontends.values()) {
                if (fe.backend().equals(pool.name())) {
                    udp |= fe.protocol() == Protocol.UDP;
                    tcp |= fe.protocol() != Protocol.UDP;
                }
            }
            if (udp && !tcp) {
                List<String> path = List.of("backends", pool.name(), "half_close");
                problems.add(Problem.warning(fileName, line(path), dotted(path), "false has no effect on a pool only UDP"
                        + " frontends use (expected: a pool with a TCP frontend; datagrams carry no FIN)"));
            }
        }
    }

    /** A UDP frontend's sessions are capped by {@code udp_max_sessions}: the TCP limit there would do nothing. */
    private int frontendMaxConnections(TomlTable fe, List<String> path, Protocol protocol) {
        if (protocol == Protocol.UDP && fe.contains("max_connections")) {
            error(append(path, "max_connections"), render(fe.get("max_connections"))
                    + " (expected: only with protocol = \"tcp\"; udp_max_sessions caps a UDP frontend)");
            return 0;
        }
        return (int) integer(fe, path, "max_connections", 0, 0, ServerConfig.MAX_CONNECTIONS);
    }

    private TrafficControl readTrafficControl(TomlTable pool, List<String> path, Algorithm algorithm) {
        TrafficControl d = TrafficControl.DEFAULT;
        int queueSize = (int) integer(pool, path, "queue_size", d.queueSize(), 0, 1_000_000);
        long queueTimeout = integer(pool, path, "queue_timeout_ms", d.queueTimeout().toMillis(), 1, 3_600_000);
        long slowStart = integer(pool, path, "slow_start_s", 0, 0, 3_600);
        boolean observe = bool(pool, path, "observe", false);
        boolean halfClose = bool(pool, path, "half_close", d.halfClose());
        long persistence = integer(pool, path, "persistence_timeout_s", 0, 0, 86_400);
        if (persistence > 0 && algorithm == Algorithm.MAGLEV) {
            problems.add(new Problem(fileName, line(append(path, "persistence_timeout_s")),
                    dotted(append(path, "persistence_timeout_s")), persistence + " ignored (expected: unset for a"
                            + " maglev pool, which keeps a client address on its server by construction)", true));
            persistence = 0;
        }
        return new TrafficControl(queueSize, Duration.ofMillis(queueTimeout), Duration.ofSeconds(slowStart), observe,
                Duration.ofSeconds(persistence), halfClose);
    }

    private Map<String, ServerConfig> readServers(TomlTable pool, List<String> poolPath) {
        Map<String, ServerConfig> servers = new LinkedHashMap<>();
        List<String> path = append(poolPath, "servers");
        TomlTable table = table(poolPath, "servers");
        if (table == null || table.isEmpty()) {
            if (table == null && pool.get("servers") == null) {
                error(path, "missing (expected: at least one server)");
            } else if (table != null) {
                error(path, "empty (expected: at least one server)");
            }
            return servers;
        }
        for (String name : table.keySet()) {
            List<String> serverPath = append(path, name);
            TomlTable server = table(path, name);
            if (server == null) {
                continue;
            }
            warnUnknown(server, serverPath, SERVER_KEYS);
            InetSocketAddress addr = address(server, serverPath, "addr", true);
            if (addr != null && (addr.getPort() == 0 || addr.getAddress().isAnyLocalAddress())) {
                error(append(serverPath, "addr"), SocketAddresses.quote(SocketAddresses.format(addr))
                        + " (expected: a server's own address and a port 1-65535, not 0.0.0.0, :: or port 0)");
                addr = null;
            }
            int weight = (int) integer(server, serverPath, "weight", ServerConfig.DEFAULT_WEIGHT, 0,
                    ServerConfig.MAX_WEIGHT);
            ServerState state = enumValue(server, serverPath, "state", ServerState.ENABLED, ServerState.class);
            int maxConnections = (int) integer(server, serverPath, "max_connections", 0, 0, ServerConfig.MAX_CONNECTIONS);
            if (addr != null) {
                servers.put(name, new ServerConfig(name, addr, weight, state, maxConnections));
            }
        }
        return servers;
    }

    private StatsConfig readStats() {
        List<String> path = List.of("stats");
        TomlTable stats = table(List.of(), "stats");
        if (stats == null) {
            return new StatsConfig(DEFAULT_STATS_PORT);
        }
        warnUnknown(stats, path, STATS_KEYS);
        Object port = stats.get("port");
        if (port == null) {
            error(append(path, "port"), "missing (expected: a port number, e.g. \"7000\")");
            return new StatsConfig(DEFAULT_STATS_PORT);
        }
        // The original requires a string ("7000"); an integer is accepted too.
        String text = port instanceof String s ? s : port instanceof Long l ? Long.toString(l) : null;
        if (text == null || !text.matches("\\d{1,5}") || Integer.parseInt(text) > 65_535) {
            error(append(path, "port"), render(port) + " (expected: port 0-65535)");
            return new StatsConfig(DEFAULT_STATS_PORT);
        }
        return new StatsConfig(Integer.parseInt(text));
    }

    private PassthroughConfig readPassthrough() {
        PassthroughConfig d = PassthroughConfig.defaults();
        List<String> path = List.of("passthrough");
        TomlTable pt = table(List.of(), "passthrough");
        if (pt == null) {
            return d;
        }
        warnUnknown(pt, path, PASSTHROUGH_KEYS);
        int capacity = (int) integer(pt, path, "connection_tracker_capacity", d.connectionTrackerCapacity(), 1, 10_000_000);
        int workers = (int) integer(pt, path, "workers", d.workers(), 1, 256);
        long frequency = integer(pt, path, "stats_update_frequency", d.statsUpdateFrequency().toSeconds(), 1, 3600);
        boolean manage = bool(pt, path, "manage_firewall", false);
        long syn = integer(pt, path, "syn_timeout_s", d.synTimeout().toSeconds(), 1, 86_400);
        long established = integer(pt, path, "established_timeout_s", d.establishedTimeout().toSeconds(), 1, 604_800);
        long closing = integer(pt, path, "closing_timeout_s", d.closingTimeout().toSeconds(), 1, 86_400);
        CaptureMethod capture = enumValue(pt, path, "capture", d.capture(), CaptureMethod.class);
        boolean manageOffloads = bool(pt, path, "manage_offloads", false);
        return new PassthroughConfig(capacity, workers, Duration.ofSeconds(frequency), manage, Duration.ofSeconds(syn),
                Duration.ofSeconds(established), Duration.ofSeconds(closing), capture, manageOffloads,
                sourceAddrs(pt, path));
    }

    /** {@code source_addr}: one address, or an array of at most one IPv4 and one IPv6 address. */
    private List<java.net.InetAddress> sourceAddrs(TomlTable pt, List<String> path) {
        Object value = pt.get(List.of("source_addr"));
        List<String> keyPath = append(path, "source_addr");
        List<Object> items = value == null ? List.of() : value instanceof org.tomlj.TomlArray array
                ? array.toList() : List.of(value);
        List<java.net.InetAddress> out = new ArrayList<>();
        for (Object item : items) {
            java.net.InetAddress address = item instanceof String text ? AnnounceConfigReader.parseIp(text) : null;
            if (address == null || address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || address.isMulticastAddress()) {
                error(keyPath, render(item) + " (expected: an IP address of this appliance, such as \"192.0.2.11\" or"
                        + " \"2001:db8::11\", or an array of one of each; hostnames are not resolved)");
            } else if (out.stream().anyMatch(a -> a.getClass() == address.getClass())) {
                error(keyPath, render(item) + " (expected: at most one IPv4 and one IPv6 address)");
            } else {
                out.add(address);
            }
        }
        return out;
    }

    private AdminConfig readAdmin() {
        List<String> path = List.of("admin");
        TomlTable admin = table(List.of(), "admin");
        if (admin == null) {
            return AdminConfig.DEFAULT;
        }
        warnUnknown(admin, path, ADMIN_KEYS);
        AdminConfig d = AdminConfig.DEFAULT;
        InetSocketAddress listen = address(admin, path, "listen_addr", false);
        if (admin.contains("token_file")) {
            problems.add(new Problem(fileName, line(append(path, "token_file")), "admin.token_file",
                    "no longer used (expected: API tokens, see convey users and POST /api/v1/tokens)", true));
        }
        String tls = string(admin, path, "tls", false);
        boolean tlsOn = true;
        if (tls != null && !tls.equals("on") && !tls.equals("off")) {
            error(append(path, "tls"), SocketAddresses.quote(tls) + " (expected: \"on\" or \"off\")");
        } else if ("off".equals(tls)) {
            tlsOn = false;
            if (listen == null || !listen.getAddress().isLoopbackAddress()) {
                error(append(path, "tls"), "\"off\" (expected: \"on\" unless listen_addr is a loopback address)");
            }
        }
        Optional<Path> cert = path(admin, path, "tls_cert");
        Optional<Path> key = path(admin, path, "tls_key");
        if (cert.isPresent() != key.isPresent()) {
            error(append(path, cert.isPresent() ? "tls_key" : "tls_cert"),
                    "missing (expected: tls_cert and tls_key together, or neither for a generated certificate)");
        }
        Optional<Path> stateDir = path(admin, path, "state_dir");
        Optional<Path> usersFile = path(admin, path, "users_file");
        Path configFile = baseDir.resolve(Path.of(fileName).getFileName()).toAbsolutePath().normalize();
        if (usersFile.isPresent() && usersFile.get().toAbsolutePath().normalize().equals(configFile)) {
            error(append(path, "users_file"), SocketAddresses.quote(string(admin, path, "users_file", false))
                    + " (expected: a file of its own, not the config file, which the API writes back and shows)");
        }
        List<String> hosts = new ArrayList<>();
        Object allowed = admin.get(List.of("allowed_hosts"));
        if (allowed instanceof org.tomlj.TomlArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i) instanceof String h && !h.isBlank()) {
                    hosts.add(h.strip().toLowerCase(java.util.Locale.ROOT));
                } else {
                    error(append(path, "allowed_hosts"), render(array.get(i)) + " (expected: host names or addresses)");
                }
            }
        } else if (allowed != null) {
            error(append(path, "allowed_hosts"), render(allowed) + " (expected: an array of host names)");
        }
        boolean protectMetrics = bool(admin, path, "protect_metrics", false);
        long idle = integer(admin, path, "session_idle_timeout_s", d.sessionIdleTimeout().toSeconds(), 60, 2_592_000);
        long maxAge = integer(admin, path, "session_max_age_s", d.sessionMaxAge().toSeconds(), 60, 2_592_000);
        return new AdminConfig(Optional.ofNullable(listen), tlsOn, cert, key, stateDir, usersFile, List.copyOf(hosts),
                protectMetrics, Duration.ofSeconds(idle), Duration.ofSeconds(maxAge));
    }

    /** A path relative to the config file's directory. */
    private Optional<Path> path(TomlTable table, List<String> path, String key) {
        String text = string(table, path, key, false);
        if (text == null) {
            return Optional.empty();
        }
        if (text.isBlank()) {
            error(append(path, key), "\"\" (expected: a file or folder name)");
            return Optional.empty();
        }
        return Optional.of(baseDir.resolve(text).normalize());
    }

    private NotifyReader.Access notifyAccess() {
        return new NotifyReader.Access() {
            @Override
            public TomlTable table(List<String> parent, String key) {
                return ConfigLoader.this.table(parent, key);
            }

            @Override
            public String string(TomlTable table, List<String> path, String key, boolean required) {
                return ConfigLoader.this.string(table, path, key, required);
            }

            @Override
            public long integer(TomlTable table, List<String> path, String key, long fallback, long min, long max) {
                return ConfigLoader.this.integer(table, path, key, fallback, min, max);
            }

            @Override
            public void warnUnknown(TomlTable table, List<String> path, Set<String> known) {
                ConfigLoader.this.warnUnknown(table, path, known);
            }

            @Override
            public void error(List<String> path, String message) {
                ConfigLoader.this.error(path, message);
            }

            @Override
            public Path resolve(String path) {
                return baseDir.resolve(path).normalize();
            }
        };
    }

    private ProxyConfig readProxy() {
        List<String> path = List.of("proxy");
        TomlTable proxy = table(List.of(), "proxy");
        if (proxy == null) {
            return ProxyConfig.DEFAULT;
        }
        warnUnknown(proxy, path, PROXY_KEYS);
        return new ProxyConfig(enumValue(proxy, path, "transport", ProxyTransport.AUTO, ProxyTransport.class));
    }

    // ---- typed accessors: each reports a problem and returns a fallback instead of throwing ----

    TomlTable table(List<String> parent, String key) {
        List<String> path = append(parent, key);
        Object value = root.get(path);
        if (value == null) {
            return null;
        }
        if (value instanceof TomlTable t) {
            return t;
        }
        error(path, render(value) + " (expected: a table)");
        return null;
    }

    boolean hasTable(List<String> path) {
        return root.get(path) instanceof TomlTable;
    }

    String string(TomlTable table, List<String> path, String key, boolean required) {
        Object value = table.get(List.of(key));
        if (value == null) {
            if (required) {
                error(append(path, key), "missing (expected: a string)");
            }
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        error(append(path, key), render(value) + " (expected: a string)");
        return null;
    }

    long integer(TomlTable table, List<String> path, String key, long fallback, long min, long max) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return fallback;
        }
        if (value instanceof Long l && l >= min && l <= max) {
            return l;
        }
        error(append(path, key), render(value) + " (expected: " + min + "-" + max + ")");
        return fallback;
    }

    boolean bool(TomlTable table, List<String> path, String key, boolean fallback) {
        Object value = table.get(List.of(key));
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        error(append(path, key), render(value) + " (expected: true or false)");
        return fallback;
    }

    private InetSocketAddress address(TomlTable table, List<String> path, String key, boolean required) {
        String text = string(table, path, key, required);
        if (text == null) {
            return null;
        }
        try {
            return SocketAddresses.parse(text);
        } catch (SocketAddresses.InvalidAddressException e) {
            error(append(path, key), e.getMessage());
            return null;
        }
    }

    <E extends Enum<E> & ConfigWord> E enumValue(TomlTable table, List<String> path, String key, E fallback,
            Class<E> type) {
        String text = string(table, path, key, false);
        if (text == null) {
            return fallback;
        }
        Optional<E> value = ConfigWord.fromId(type, text);
        if (value.isEmpty()) {
            error(append(path, key), SocketAddresses.quote(text) + " (expected: one of " + ConfigWord.ids(type) + ")");
            return fallback;
        }
        return value.get();
    }

    void warnUnknown(TomlTable table, List<String> path, Set<String> known) {
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                List<String> keyPath = append(path, key);
                String hint = KeySuggestion.nearest(key, known).map(k -> "did you mean " + k + "?")
                        .orElseGet(() -> "expected one of: " + String.join(", ", new java.util.TreeSet<>(known)));
                problems.add(new Problem(fileName, line(keyPath), dotted(keyPath), "unknown key, ignored (" + hint + ")",
                        true));
            }
        }
    }

    void error(List<String> path, String message) {
        problems.add(Problem.error(fileName, line(path), dotted(path), message));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    int errorCount() {
        return (int) problems.stream().filter(p -> !p.warning()).count();
    }

    private int line(List<String> path) {
        for (List<String> p = path; !p.isEmpty(); p = p.subList(0, p.size() - 1)) {
            var position = root.inputPositionOf(p);
            if (position != null) {
                return position.line();
            }
        }
        return 0;
    }

    static String dotted(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(part.matches("[A-Za-z0-9_-]+") ? part : SocketAddresses.quote(part));
        }
        return sb.toString();
    }

    static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return List.copyOf(out);
    }

    static String render(Object value) {
        if (value instanceof String s) {
            return SocketAddresses.quote(s);
        }
        if (value instanceof TomlTable) {
            return "a table";
        }
        return String.valueOf(value);
    }
}
