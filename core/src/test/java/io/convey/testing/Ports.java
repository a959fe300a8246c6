package io.convey.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * Ports for listeners a test must name before they exist (frontends refuse port 0, config files name a port). They
 * are taken below the kernel's ephemeral range: a port found with a bind to port 0 lies in that range, and until
 * the listener binds it, any outgoing connection or port-0 bind on the machine (a health check, an etcd client, a
 * daemon's own listener) may be given it, which fails the bind at random. Below the range only a fixed bind can take
 * a port; each is handed out once per JVM, after a probe shows it free now.
 */
final class Ports {
    /** The kernel's default first ephemeral port, when its setting cannot be read. */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int SPAN = 12_000;
    private static final String RANGE = "/proc/sys/net/ipv4/ip_local_port_range";
    private static final int EPHEMERAL_START = ephemeralStart();
    private static final int LOW = Math.max(1_024, EPHEMERAL_START - SPAN);
    private static final AtomicInteger NEXT = new AtomicInteger(
            EPHEMERAL_START - LOW < 1_000 ? 0 : ThreadLocalRandom.current().nextInt(EPHEMERAL_START - LOW));

    private Ports() {}

    /**
     * A port below the ephemeral range that {@code free} could bind, or 0 (let the caller bind port 0) where the
     * range leaves too few below it.
     */
    static int take(IntPredicate free) {
        int span = EPHEMERAL_START - LOW;
        if (span < 1_000) {
            return 0;
        }
        for (int tries = 0; tries < span; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), span);
            if (free.test(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + LOW + "-" + (EPHEMERAL_START - 1));
    }

    private static int ephemeralStart() {
        try {
            // Not Files.readString: a sysctl file reports size 0, and the JDK's read of it returns only the first byte
            // ("3" of "32768 60999"), which put the range's start at 3 and every port back in the ephemeral range.
            String range = Files.readAllLines(Path.of(RANGE)).getFirst().strip();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }
}
