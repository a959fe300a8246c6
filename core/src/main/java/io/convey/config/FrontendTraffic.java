package io.convey.config;

import io.convey.net.Cidr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A frontend's traffic control: who may connect ({@code allow}, {@code deny}; deny wins, an empty allow list allows
 * every address not denied), how fast one source may open connections, and its access log.
 */
public record FrontendTraffic(List<Cidr> allow, List<Cidr> deny, Optional<RateLimit> rateLimit,
                              Optional<AccessLog> accessLog) {

    /** No list, no limit, no log: the default. */
    public static final FrontendTraffic NONE = new FrontendTraffic(List.of(), List.of(), Optional.empty(),
            Optional.empty());

    public FrontendTraffic {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(accessLog, "accessLog");
    }

    /** True when the frontend filters addresses at all. */
    public boolean filters() {
        return !allow.isEmpty() || !deny.isEmpty();
    }

    /**
     * New connections per second per source, with a burst; a source is the client address cut to a prefix
     * ({@code prefixV4} 24 counts a /24 as one source). {@code sources} is the size of the fixed table of sources.
     */
    public record RateLimit(int perSecond, int burst, int prefixV4, int prefixV6, int sources) {
        public static final int DEFAULT_PREFIX_V4 = 32;
        public static final int DEFAULT_PREFIX_V6 = 64;
        public static final int DEFAULT_SOURCES = 65_536;
    }

    /**
     * Where a frontend's access log goes: {@code "stdout"} (for journald) or an absolute file path, rotated by size
     * keeping {@code maxFiles} old files.
     */
    public record AccessLog(String destination, AccessLogFormat format, long maxSizeBytes, int maxFiles) {
        public static final String STDOUT = "stdout";
        public static final long DEFAULT_MAX_SIZE = 100L << 20;
        public static final int DEFAULT_MAX_FILES = 10;
        /** Logback's fixed-window rolling keeps at most 20 files. */
        public static final int MAX_FILES = 20;

        public boolean toStdout() {
            return STDOUT.equals(destination);
        }
    }
}
