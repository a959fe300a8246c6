package io.convey.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Optional {@code [admin]} section: the admin listener (address, TLS material), where users and generated
 * state live, extra accepted host names, whether {@code /stats} and {@code /metrics} need a credential, and
 * session lifetimes. Paths are resolved against the config file's folder.
 */
public record AdminConfig(Optional<InetSocketAddress> listenAddr, boolean tls, Optional<Path> tlsCert,
        Optional<Path> tlsKey, Optional<Path> stateDir, Optional<Path> usersFile, List<String> allowedHosts,
        boolean protectMetrics, Duration sessionIdleTimeout, Duration sessionMaxAge) {
    public static final String DEFAULT_STATE_DIR = ".convey-state";
    public static final String DEFAULT_USERS_FILE = "users.json";
    public static final AdminConfig DEFAULT = new AdminConfig(Optional.empty(), true, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), false, Duration.ofSeconds(1800), Duration.ofSeconds(43_200));

    /** {@code state_dir}, or {@code .convey-state} next to the config file. */
    public Path stateDir(Path configFile) {
        return stateDir.orElse(configFile.toAbsolutePath().normalize().resolveSibling(DEFAULT_STATE_DIR));
    }

    /** {@code users_file}, or {@code users.json} next to the config file. */
    public Path usersFile(Path configFile) {
        return usersFile.orElse(configFile.toAbsolutePath().normalize().resolveSibling(DEFAULT_USERS_FILE));
    }
}
