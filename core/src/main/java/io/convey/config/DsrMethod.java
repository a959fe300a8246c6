package io.convey.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a DSR pool delivers client packets to its servers. */
public enum DsrMethod {
    /** Destination IP and port rewritten; the original convey's method. */
    NAT,
    /** Only the destination MAC changes; servers hold the VIP on loopback (IPVS direct routing). */
    L2,
    /** IP-in-IP encapsulation to the server, which crosses subnets. */
    IPIP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DsrMethod> fromId(String id) {
        return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(DsrMethod::id).collect(Collectors.joining(", "));
    }
}
