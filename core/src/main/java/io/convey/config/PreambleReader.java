package io.convey.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.tomlj.TomlTable;

/** Reads a frontend's {@code accept_proxy} and SNI keys into a {@link FrontendPreamble}, reporting problems. */
final class PreambleReader {
    /**
     * A DNS host name as TLS carries it in server_name (RFC 6066: no IP literals, no trailing dot), optionally
     * led by "*." for every name under that suffix; labels of letters, digits and inner hyphens (RFC 1123).
     */
    private static final Pattern SERVER_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final int MAX_NAME = 253;
    private static final long MAX_TIMEOUT_MS = 600_000;
    static final Set<String> FRONTEND_KEYS = Set.of("accept_proxy", "accept_proxy_timeout_ms", "sni", "sni_mismatch",
            "sni_timeout_ms");

    private final ConfigLoader loader;

    PreambleReader(ConfigLoader loader) {
        this.loader = loader;
    }

    /** The frontend's preamble, or null when one of its keys is wrong (the problem is reported). */
    FrontendPreamble read(TomlTable fe, List<String> path, Set<String> pools, Protocol protocol) {
        int errorsBefore = loader.errorCount();
        if (protocol == Protocol.UDP) {
            // A PROXY header and a ClientHello lead a TCP stream; datagrams have neither to read.
            if (fe.contains("sni")) {
                loader.error(ConfigLoader.append(path, "sni"), "a table (expected: no SNI routing on a UDP frontend;"
                        + " TLS ClientHellos come over TCP)");
            }
            if (Boolean.TRUE.equals(fe.get("accept_proxy"))) {
                loader.error(ConfigLoader.append(path, "accept_proxy"), "true (expected: false on a UDP frontend;"
                        + " PROXY headers are read on TCP frontends)");
            }
        }
        boolean acceptProxy = loader.bool(fe, path, "accept_proxy", false);
        Duration proxyTimeout = Duration.ofMillis(loader.integer(fe, path, "accept_proxy_timeout_ms",
                FrontendPreamble.DEFAULT_ACCEPT_PROXY_TIMEOUT.toMillis(), 1, MAX_TIMEOUT_MS));
        Map<String, String> sni = readSni(path, pools);
        SniMismatch mismatch = loader.enumValue(fe, path, "sni_mismatch", SniMismatch.DEFAULT, SniMismatch.class);
        Duration sniTimeout = Duration.ofMillis(loader.integer(fe, path, "sni_timeout_ms",
                FrontendPreamble.DEFAULT_SNI_TIMEOUT.toMillis(), 1, MAX_TIMEOUT_MS));
        if (loader.errorCount() != errorsBefore) {
            return null;
        }
        return new FrontendPreamble(acceptProxy, proxyTimeout, sni, mismatch, sniTimeout);
    }

    private Map<String, String> readSni(List<String> frontendPath, Set<String> pools) {
        Map<String, String> routes = new LinkedHashMap<>();
        TomlTable table = loader.table(frontendPath, "sni");
        if (table == null) {
            return routes;
        }
        List<String> path = ConfigLoader.append(frontendPath, "sni");
        if (table.isEmpty()) {
            loader.error(path, "empty (expected: server names mapped to pools, e.g. \"a.example\" = \"pool_a\")");
        }
        Map<String, String> spelled = new HashMap<>();
        for (String name : table.keySet()) {
            List<String> key = ConfigLoader.append(path, name);
            Object value = table.get(List.of(name));
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.length() > MAX_NAME || !SERVER_NAME.matcher(lower).matches()) {
                loader.error(key, SocketAddresses.quote(name) + " (expected: a host name such as \"a.example\", or"
                        + " \"*.example\" for every name under example)");
                continue;
            }
            String first = spelled.putIfAbsent(lower, name);
            if (first != null) {
                loader.error(key, SocketAddresses.quote(name) + " (expected: each name once; names ignore case and "
                        + SocketAddresses.quote(first) + " is already listed)");
                continue;
            }
            if (!(value instanceof String pool)) {
                loader.error(key, ConfigLoader.render(value) + " (expected: a pool name)");
                continue;
            }
            if (!pools.contains(pool) && !loader.hasTable(List.of("backends", pool))) {
                loader.error(key, SocketAddresses.quote(pool) + " (expected: a pool defined in [backends])");
                continue;
            }
            routes.put(lower, pool);
        }
        return routes;
    }
}
