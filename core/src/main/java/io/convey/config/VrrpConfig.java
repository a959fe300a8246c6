package io.convey.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The optional {@code [vrrp]} section: the keepalived instance that moves this appliance's VIPs to its partner.
 *
 * @param peers      the partners' addresses for unicast VRRP; empty for multicast
 * @param authPass   VRRPv2 simple password (at most 8 characters), if any
 * @param notifyFifo where keepalived writes its state changes for the daemon to record
 * @param includeFile where the daemon keeps keepalived's configuration for this appliance up to date (written at
 *                    start and after each config change), if the operator asks for it
 */
public record VrrpConfig(
        String interfaceName,
        int virtualRouterId,
        int priority,
        Duration advertInterval,
        List<InetAddress> peers,
        Optional<String> authPass,
        Path notifyFifo,
        Optional<Path> includeFile) {

    public static final int DEFAULT_PRIORITY = 100;
    public static final Path DEFAULT_NOTIFY_FIFO = Path.of("/run/convey/vrrp.fifo");

    public VrrpConfig {
        peers = List.copyOf(peers);
    }
}
