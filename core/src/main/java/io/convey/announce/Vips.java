package io.convey.announce;

import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.net.AddressText;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The VIPs of a configuration: its frontends' listen addresses that can be announced, with their frontends. */
public final class Vips {
    private Vips() {}

    /**
     * Each announceable address (neither a wildcard nor loopback) with the frontends listening on it, in file
     * order; a VIP serves several frontends when they differ only by port.
     */
    public static Map<InetAddress, List<String>> of(ConveyConfig config) {
        Map<InetAddress, List<String>> vips = new LinkedHashMap<>();
        for (FrontendConfig f : config.frontends().values()) {
            InetAddress a = f.listenAddr().getAddress();
            if (!a.isAnyLocalAddress() && !a.isLoopbackAddress()) {
                vips.computeIfAbsent(a, k -> new ArrayList<>()).add(f.name());
            }
        }
        return vips;
    }

    /** The host prefix of an address: {@code /32} for IPv4, {@code /128} for IPv6. */
    static String prefix(InetAddress address) {
        return text(address) + (address instanceof Inet4Address ? "/32" : "/128");
    }

    /** An address as configs and commands want it: dotted IPv4, RFC 5952 IPv6, no zone. */
    static String text(InetAddress address) {
        return address instanceof Inet4Address ? address.getHostAddress() : AddressText.ipv6(address.getAddress());
    }
}
