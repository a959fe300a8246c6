package io.convey.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a frontend reads from a new connection before it picks a pool: an upstream balancer's PROXY protocol header
 * ({@code accept_proxy}) and the server name of a TLS ClientHello ({@code [frontends.x.sni]}), neither by default.
 *
 * @param acceptProxy        whether each connection must start with a PROXY protocol v1 or v2 header
 * @param acceptProxyTimeout how long a connection may take to send that header before it is refused
 * @param sni                server name (lower case, exact or {@code *.suffix}) to pool; empty: no SNI routing
 * @param sniMismatch        what to do with first bytes that are not a ClientHello
 * @param sniTimeout         how long a connection may take to send its whole ClientHello
 */
public record FrontendPreamble(boolean acceptProxy, Duration acceptProxyTimeout, Map<String, String> sni,
        SniMismatch sniMismatch, Duration sniTimeout) {

    public static final Duration DEFAULT_ACCEPT_PROXY_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_SNI_TIMEOUT = Duration.ofSeconds(5);
    /** Neither a PROXY header nor SNI: the client's bytes go to the pool from the first one. */
    public static final FrontendPreamble NONE = new FrontendPreamble(false, DEFAULT_ACCEPT_PROXY_TIMEOUT, Map.of(),
            SniMismatch.DEFAULT, DEFAULT_SNI_TIMEOUT);

    public FrontendPreamble {
        sni = Collections.unmodifiableMap(new LinkedHashMap<>(sni));
    }

    public boolean routesBySni() {
        return !sni.isEmpty();
    }

    /**
     * The pool for a ClientHello's server name: an exact entry, else the longest matching {@code *.suffix} entry
     * (which matches any number of labels before the suffix, as HAProxy's {@code req.ssl_sni -m end} and NGINX's
     * map with {@code *.example} do), else {@code fallback}. Names compare case-insensitively (RFC 4343).
     */
    public String poolFor(String serverName, String fallback) {
        if (serverName == null || sni.isEmpty()) {
            return fallback;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        String exact = sni.get(name);
        if (exact != null) {
            return exact;
        }
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            String pool = sni.get("*" + name.substring(dot));
            if (pool != null) {
                return pool;
            }
        }
        return fallback;
    }
}
