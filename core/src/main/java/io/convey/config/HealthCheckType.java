package io.convey.config;

/** How a pool's servers are checked: {@code health_check = "tcp" | "none"} (TCP when not given). */
public enum HealthCheckType implements ConfigWord {
    /** A TCP connect every interval, to the server's port or {@code health_check_port}. */
    TCP,
    /** No probes: only what traffic shows (ICMP port unreachable, unanswered UDP requests) counts toward {@code fall}. */
    NONE
}
