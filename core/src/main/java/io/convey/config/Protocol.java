package io.convey.config;

/** What a frontend listens for: {@code protocol = "tcp" | "udp"} (TCP when not given). */
public enum Protocol implements ConfigWord {
    TCP,
    UDP
}
