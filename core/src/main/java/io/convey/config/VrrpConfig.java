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
 */
public record VrrpConfig(
        String interfaceName,
        int virtualRouterId,
        int priority,
        Duration advertInterval,
        List<InetAddress> peers,
        Optional<String> authPass,
        Path notifyFifo) {

    public static final int DEFAULT_PRIORITY = 100;
    public static final Path DEFAULT_NOTIFY_FIFO = Path.of("/run/convey/vrrp.fifo");

    public VrrpConfig {
        peers = List.copyOf(peers);
    }
}
