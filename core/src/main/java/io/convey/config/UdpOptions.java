package io.convey.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * A UDP frontend's session settings ({@code udp_idle_timeout_s}, {@code udp_responses}, {@code udp_max_sessions}).
 *
 * @param idleTimeout a session (one client address and port) ends after this long without a datagram either way
 * @param responses the answers expected per request, as NGINX's {@code proxy_responses}: the session ends once every
 *        request has had them (empty: unlimited, the session lasts until idle)
 * @param maxSessions sessions at once; a datagram that would open one more is dropped and counted
 */
public record UdpOptions(Duration idleTimeout, OptionalInt responses, int maxSessions) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_SESSIONS = 65_536;
    public static final UdpOptions DEFAULT = new UdpOptions(DEFAULT_IDLE_TIMEOUT, OptionalInt.empty(),
            DEFAULT_MAX_SESSIONS);
}
