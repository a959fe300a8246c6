package io.convey.config;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.tomlj.TomlTable;

/**
 * Reads the keys that choose a frontend's protocol (with the UDP session settings) and a pool's health check
 * kind and port, reporting problems through the {@link ConfigLoader} that owns the file.
 */
final class ProtocolKeys {
    static final Set<String> FRONTEND_KEYS = Set.of("protocol", "udp_idle_timeout_s", "udp_responses",
            "udp_max_sessions");
    static final Set<String> POOL_KEYS = Set.of("health_check", "health_check_port");
    private static final List<String> UDP_ONLY = List.of("udp_idle_timeout_s", "udp_responses", "udp_max_sessions");

    private ProtocolKeys() {}

    static Protocol protocol(ConfigLoader loader, TomlTable frontend, List<String> path) {
        return loader.enumValue(frontend, path, "protocol", Protocol.TCP, Protocol.class);
    }

    /** The UDP settings; on a TCP frontend they are refused, as they would silently do nothing. */
    static UdpOptions udp(ConfigLoader loader, TomlTable frontend, List<String> path, Protocol protocol) {
        UdpOptions d = UdpOptions.DEFAULT;
        if (protocol != Protocol.UDP) {
            for (String key : UDP_ONLY) {
                if (frontend.contains(key)) {
                    loader.error(ConfigLoader.append(path, key), ConfigLoader.render(frontend.get(key))
                            + " (expected: only with protocol = \"udp\")");
                }
            }
            return d;
        }
        long idle = loader.integer(frontend, path, "udp_idle_timeout_s", d.idleTimeout().toSeconds(), 1, 86_400);
        OptionalInt responses = frontend.contains("udp_responses")
                ? OptionalInt.of((int) loader.integer(frontend, path, "udp_responses", 1, 0, 1_000))
                : OptionalInt.empty();
        int maxSessions = (int) loader.integer(frontend, path, "udp_max_sessions", d.maxSessions(), 1, 10_000_000);
        // A UDP frontend with SNI routing is refused here once frontends have an [frontends.x.sni] table:
        // SNI is read from a TLS ClientHello, which only TCP carries.
        return new UdpOptions(Duration.ofSeconds(idle), responses, maxSessions);
    }

    static HealthCheckSettings healthCheck(ConfigLoader loader, TomlTable pool, List<String> path) {
        HealthCheckType type = loader.enumValue(pool, path, "health_check", HealthCheckType.TCP, HealthCheckType.class);
        if (!pool.contains("health_check_port")) {
            return new HealthCheckSettings(type, OptionalInt.empty());
        }
        int port = (int) loader.integer(pool, path, "health_check_port", 0, 1, 65_535);
        if (type == HealthCheckType.NONE) {
            loader.error(ConfigLoader.append(path, "health_check_port"), ConfigLoader.render(pool.get("health_check_port"))
                    + " (expected: only with health_check = \"tcp\")");
        }
        return new HealthCheckSettings(type, port == 0 ? OptionalInt.empty() : OptionalInt.of(port));
    }
}
