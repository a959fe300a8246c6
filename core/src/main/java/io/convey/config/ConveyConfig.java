package io.convey.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A whole, validated configuration: immutable, built once by {@link ConfigLoader}; {@code notifications} is [notify]. */
public record ConveyConfig(
        Map<String, FrontendConfig> frontends,
        Map<String, PoolConfig> backends,
        StatsConfig stats,
        PassthroughConfig passthrough,
        AdminConfig admin,
        NotifyConfig notifications,
        AnnounceConfig announce,
        ProxyConfig proxy) {

    public ConveyConfig {
        frontends = Collections.unmodifiableMap(new LinkedHashMap<>(frontends));
        backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends));
    }
}
