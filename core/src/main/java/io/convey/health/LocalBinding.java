package io.convey.health;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Local address and port range that checks connect from.
 *
 * <p>Passthrough mode binds checks to the VIP on a reserved range below the flows' (the original used 32768-33766) so that the
 * replies reach the kernel, not the packet path; ports 0-0 let the kernel pick.
 */
record LocalBinding(InetAddress address, int firstPort, int lastPort) {
    LocalBinding {
        Objects.requireNonNull(address, "address");
        if (firstPort < 0 || firstPort > 65535) {
            throw new IllegalArgumentException("firstPort: " + firstPort + " (expected: 0-65535)");
        }
        if (lastPort < firstPort || lastPort > 65535) {
            throw new IllegalArgumentException("lastPort: " + lastPort + " (expected: " + firstPort + "-65535)");
        }
    }

    boolean anyPort() {
        return firstPort == 0;
    }
}
