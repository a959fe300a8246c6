package io.convey.admin.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The names and addresses the admin listener answers to: what its certificate names and what a request's
 * {@code Host} header may say (anything else is DNS rebinding or a misdirected request).
 */
public final class AdminHosts {
    private AdminHosts() {}

    /** Loopback, the listen address, and every local interface address when listening on the wildcard. */
    public static Set<InetAddress> addresses(InetSocketAddress listen) {
        Set<InetAddress> out = new LinkedHashSet<>();
        out.add(InetAddress.ofLiteral("127.0.0.1"));
        out.add(InetAddress.ofLiteral("::1"));
        if (listen.getAddress().isAnyLocalAddress()) {
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                        if (!a.isLinkLocalAddress()) {
                            out.add(a);
                        }
                    }
                }
            } catch (SocketException e) {
                // no interface list: loopback and the names still work
            }
        } else {
            out.add(listen.getAddress());
        }
        return out;
    }

    /** Every accepted {@code Host} value (lower case, without port; IPv6 without brackets). */
    public static Set<String> accepted(InetSocketAddress listen, Collection<String> names, Collection<String> allowed) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        addresses(listen).forEach(a -> out.add(hostOnly("[" + a.getHostAddress() + "]")));
        allowed.forEach(h -> out.add(hostOnly(h)));
        return Set.copyOf(out);
    }

    /**
     * The host part of a Host header or name, in one canonical form: lower case, no port, an IP literal as
     * {@link InetAddress#getHostAddress} writes it ({@code "[::1]:7000"} gives {@code "0:0:0:0:0:0:0:1"}).
     */
    public static String hostOnly(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(1, end);
        } else {
            int colon = h.indexOf(':');
            h = colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
        }
        if (h.contains(":") || h.matches("[0-9.]+")) {
            try {
                return InetAddress.ofLiteral(h).getHostAddress().replaceAll("%.*", ""); // a literal: never a lookup
            } catch (IllegalArgumentException e) {
                return h; // not an address: compared as a name, and matches nothing
            }
        }
        return h;
    }
}
