package io.convey.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A whole, validated configuration: immutable, built once by {@link ConfigLoader}; {@code notifications} is [notify]. */
public record ConveyConfig(
        Map<String, FrontendConfig> frontends,
        Map<String, PoolConfig> backends,
        StatsConfig stats,
        PassthroughConfig passthrough,
        AdminConfig admin,
        NotifyConfig notifications,
        AnnounceConfig announce,
        ProxyConfig proxy,
        Optional<ClusterConfig> cluster) {

    public ConveyConfig {
        frontends = Collections.unmodifiableMap(new LinkedHashMap<>(frontends));
        backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
    }

    /**
     * This configuration with a member's own {@code [admin]} and {@code [cluster]}: a fleet's shared text carries
     * everything else (each appliance keeps its own admin listener, users and certificate).
     */
    public ConveyConfig withMemberSections(AdminConfig memberAdmin, Optional<ClusterConfig> memberCluster) {
        return new ConveyConfig(frontends, backends, stats, passthrough, memberAdmin, notifications, announce, proxy,
                memberCluster);
    }
}
