package io.convey.config;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The optional {@code [bgp]} section: how this appliance announces its frontends' VIPs through the BGP speaker
 * (BIRD 2) running beside it.
 *
 * @param communities standard ({@code "65000:100"}) or large ({@code "65000:1:2"}) communities put on every route
 * @param medDrain    the MED put on a VIP while the appliance drains in maintenance (routers then prefer the
 *                    others but may still use it); empty: maintenance withdraws at once
 * @param controlSocket BIRD's control socket, read for the sessions' state
 */
public record BgpConfig(
        long localAs,
        Inet4Address routerId,
        Duration holdTime,
        boolean bfd,
        List<String> communities,
        OptionalLong medDrain,
        Path controlSocket,
        Map<String, BgpPeerConfig> peers) {

    public static final Duration DEFAULT_HOLD_TIME = Duration.ofSeconds(9);
    public static final Path DEFAULT_CONTROL_SOCKET = Path.of("/run/bird/bird.ctl");

    public BgpConfig {
        communities = List.copyOf(communities);
        peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    }
}
