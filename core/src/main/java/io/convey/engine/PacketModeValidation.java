package io.convey.engine;

import io.convey.config.ConveyConfig;
import io.convey.config.FrontendConfig;
import io.convey.config.Mode;
import io.convey.config.PoolConfig;
import io.convey.config.Problem;
import io.convey.config.SendProxy;
import io.convey.config.ServerConfig;
import io.convey.config.SocketAddresses;
import io.convey.net.AddressText;
import io.convey.packet.Delivery;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The packet modes' rules for a config, with the key path of each problem (the engine places it in the file):
 * what the config alone decides (address families, link-local addresses), which {@code --validate} checks too, and
 * what needs the host (each VIP on a local interface, all on one, and where DSR l2/ipip health checks would leave
 * from). Pure apart from the {@link Host} it asks.
 */
public final class PacketModeValidation {
    private static final String SOURCE_ADDR = "passthrough.source_addr";
    private static final String LINK_LOCAL = " (expected: a global or unique-local IPv6 address: the packet modes do"
            + " not keep the interface scope that a link-local (fe80::/10) address needs)";

    /** What the host says about addresses: which interface holds one, which source the kernel picks towards one. */
    interface Host {
        /** The name of the local interface holding {@code address}, or null. */
        String interfaceOf(InetAddress address);

        /** The source address the kernel's routing picks for packets to {@code destination}, or null if none. */
        InetAddress sourceTowards(InetAddress destination);

        /** This host, asked through the JDK (a route lookup by a connected UDP socket sends nothing). */
        Host LOCAL = new Host() {
            /**
             * The device holding the address; where several do, one that is not point-to-point: with [bgp] the
             * announced VIPs are also on the announce adapter's TUN devices, which are never where frames arrive.
             */
            @Override
            public String interfaceOf(InetAddress address) {
                try {
                    String pointToPoint = null;
                    for (NetworkInterface ni : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                        if (java.util.Collections.list(ni.getInetAddresses()).contains(address)) {
                            if (!ni.isPointToPoint()) {
                                return ni.getName();
                            }
                            pointToPoint = pointToPoint == null ? ni.getName() : pointToPoint;
                        }
                    }
                    return pointToPoint;
                } catch (SocketException e) {
                    return null;
                }
            }

            @Override
            public InetAddress sourceTowards(InetAddress destination) {
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.connect(new InetSocketAddress(destination, 9));
                    InetAddress source = socket.getLocalAddress();
                    return source == null || source.isAnyLocalAddress() ? null : source;
                } catch (SocketException | UncheckedIOException | SecurityException e) {
                    return null;
                }
            }
        };
    }

    /** The outcome of the host checks: the capture interface, the VIPs health checks leave from, the problems. */
    record Checked(String interfaceName, List<InetAddress> healthSources, List<Problem> problems) {}

    private PacketModeValidation() {}

    /** The problems the config alone shows in a packet mode, with line 0 (to be located in the file). */
    public static List<Problem> configProblems(Mode mode, ConveyConfig config) {
        List<Problem> problems = new ArrayList<>();
        for (FrontendConfig fe : config.frontends().values()) {
            familyProblems(mode, config, fe, problems);
        }
        sourceAddrProblems(mode, config, problems);
        streamProblems(config, problems);
        problems.addAll(proxyOnlyWarnings(mode, config));
        return problems;
    }

    /**
     * Warnings (the config loads) for the keys that only proxy mode acts on: a server's or frontend's
     * {@code max_connections} (and so the pool's queue: a packet flow cannot wait), {@code observe},
     * {@code persistence_timeout_s} and {@code half_close = false}. The packet modes hash each flow to a server and
     * forward its packets, FINs included; a file that sets them would otherwise be believed.
     */
    public static List<Problem> proxyOnlyWarnings(Mode mode, ConveyConfig config) {
        String why = " has no effect in " + mode.name().toLowerCase(Locale.ROOT) + " mode (expected: proxy mode;"
                + " the packet modes hash each flow to a server and cannot hold one back)";
        List<Problem> warnings = new ArrayList<>();
        for (FrontendConfig fe : config.frontends().values()) {
            if (fe.maxConnections() > 0) {
                warnings.add(warning("frontends." + fe.name() + ".max_connections", fe.maxConnections() + why));
            }
        }
        for (PoolConfig pool : config.backends().values()) {
            String at = "backends." + pool.name() + ".";
            for (ServerConfig server : pool.servers().values()) {
                if (server.maxConnections() > 0) {
                    warnings.add(warning(at + "servers." + server.name() + ".max_connections",
                            server.maxConnections() + why));
                }
            }
            if (pool.traffic().observe()) {
                warnings.add(warning(at + "observe", "true" + why));
            }
            if (pool.traffic().persistenceTimeout().isPositive()) {
                warnings.add(warning(at + "persistence_timeout_s", pool.traffic().persistenceTimeout().toSeconds()
                        + why));
            }
            if (!pool.traffic().halfClose()) {
                warnings.add(warning(at + "half_close", "false has no effect in " + mode.name().toLowerCase(Locale.ROOT)
                        + " mode (expected: proxy mode; the packet modes pass each FIN on as the client or server sent"
                        + " it)"));
            }
        }
        return warnings;
    }

    /**
     * Passthrough under ECMP: every appliance announces the same VIP, and a router hashes the servers' replies to it
     * to any appliance, where the flow is unknown; so flows must leave from each appliance's own address
     * ({@code [passthrough] source_addr}), to which the replies are routed back. With {@code [bgp]}, a passthrough
     * frontend without a source address of its family is refused, and a source address must never be a VIP.
     */
    private static void sourceAddrProblems(Mode mode, ConveyConfig config, List<Problem> problems) {
        if (mode != Mode.PASSTHROUGH) {
            return;
        }
        for (InetAddress source : config.passthrough().sourceAddrs()) {
            if (isVip(config, source)) {
                problems.add(error(SOURCE_ADDR, "\"" + AddressText.of(source) + "\" (expected: an address of this"
                        + " appliance's own, not a VIP: the servers' replies to a VIP that other appliances announce"
                        + " too are routed to any of them)"));
            }
        }
        if (config.announce().bgp().isEmpty()) {
            return;
        }
        for (FrontendConfig fe : config.frontends().values()) {
            InetAddress vip = fe.listenAddr().getAddress();
            if (config.backends().containsKey(fe.backend()) && config.passthrough().sourceAddrFor(vip).isEmpty()) {
                String family = vip instanceof Inet6Address ? "IPv6" : "IPv4";
                problems.add(error(path(fe), value(fe) + " (expected: [passthrough] source_addr with this appliance's"
                        + " own " + family + " address: with [bgp] every appliance announces the VIP, and the routers"
                        + " would hash the servers' replies to it to any appliance, where the flow is unknown)"));
            }
        }
    }

    /**
     * All the rules, the host's included; {@code currentInterface} is the one the data plane captures on already
     * (null before it starts).
     */
    static Checked check(Mode mode, ConveyConfig next, String currentInterface, Host host) {
        List<Problem> problems = new ArrayList<>();
        String iface = currentInterface;
        Map<Boolean, InetAddress> healthSources = new LinkedHashMap<>(); // one VIP per family (true: IPv6)
        boolean bindHealthToVip = true;
        for (FrontendConfig fe : next.frontends().values()) {
            if (!familyProblems(mode, next, fe, problems)) {
                continue;
            }
            String path = path(fe);
            InetAddress vip = fe.listenAddr().getAddress();
            String owner = host.interfaceOf(vip);
            if (owner == null) {
                problems.add(error(path, value(fe) + " (expected: an address assigned to a local interface)"));
            } else if (iface != null && !iface.equals(owner)) {
                problems.add(error(path, value(fe) + " (expected: an address on interface " + iface
                        + ", like the other frontends)"));
            } else {
                iface = owner;
                PoolConfig pool = next.backends().get(fe.backend());
                Delivery delivery = pool == null ? Delivery.PASSTHROUGH : PacketDeliveries.of(mode, pool.dsrMethod());
                // passthrough flows leave from the source address, so their checks do too (same firewall view)
                InetAddress from = delivery == Delivery.PASSTHROUGH ? next.passthrough().sourceAddrFor(vip).orElse(vip)
                        : vip;
                healthSources.putIfAbsent(vip instanceof Inet6Address, from);
                // DSR l2/ipip servers hold the VIP themselves: a check from the VIP would be answered locally.
                if (delivery == Delivery.DSR_L2 || delivery == Delivery.DSR_IPIP) {
                    bindHealthToVip = false;
                    healthSourceProblem(next, fe, pool, delivery, owner, host, problems);
                }
            }
        }
        sourceAddrProblems(mode, next, problems);
        if (mode == Mode.PASSTHROUGH && iface != null) {
            for (InetAddress source : next.passthrough().sourceAddrs()) {
                if (healthSources.containsKey(source instanceof Inet6Address)) { // a frontend of its family uses it
                    sourceInterfaceProblem(source, iface, host, problems);
                }
            }
        }
        streamProblems(next, problems);
        List<InetAddress> sources = bindHealthToVip ? List.copyOf(healthSources.values()) : List.of();
        return new Checked(iface, sources, problems);
    }

    /** The replies to a source address are captured where the VIPs are: it must be on that interface. */
    private static void sourceInterfaceProblem(InetAddress source, String iface, Host host, List<Problem> problems) {
        String owner = host.interfaceOf(source);
        String text = "\"" + AddressText.of(source) + "\"";
        if (owner == null) {
            problems.add(error(SOURCE_ADDR, text + " (expected: an address assigned to a local interface, " + iface
                    + ", where the servers' replies to it are captured)"));
        } else if (!owner.equals(iface)) {
            problems.add(error(SOURCE_ADDR, text + " (expected: an address on interface " + iface + ", where the VIPs"
                    + " are and the servers' replies are captured; it is on " + owner + ")"));
        }
    }

    /**
     * PROXY protocol headers and SNI routing read or write the TCP stream, which only the proxy terminates: the packet
     * modes rewrite packets and never see a byte stream to add a header to or a ClientHello to wait for.
     */
    private static void streamProblems(ConveyConfig config, List<Problem> problems) {
        String why = " (expected: proxy mode; the packet modes forward packets without reading the TCP stream)";
        for (FrontendConfig fe : config.frontends().values()) {
            if (fe.preamble().acceptProxy()) {
                problems.add(error("frontends." + fe.name() + ".accept_proxy", "true" + why));
            }
            if (fe.preamble().routesBySni()) {
                problems.add(error("frontends." + fe.name() + ".sni", "a table" + why));
            }
        }
        for (PoolConfig pool : config.backends().values()) {
            if (pool.sendProxy() != SendProxy.NONE) {
                problems.add(error("backends." + pool.name() + ".send_proxy", "\"" + pool.sendProxy().id() + "\"" + why));
            }
        }
    }

    /**
     * DSR l2/ipip health checks leave from the address the kernel picks towards each server; if that is a VIP (the
     * VIP is the interface's address, with none of the balancer's own beside it), the server answers itself and
     * every check times out. LVS direct routing has the same need: the director's own address beside the VIP.
     */
    private static void healthSourceProblem(ConveyConfig config, FrontendConfig fe, PoolConfig pool, Delivery delivery,
                                            String iface, Host host, List<Problem> problems) {
        for (ServerConfig s : pool.servers().values()) {
            InetAddress source = host.sourceTowards(s.addr().getAddress());
            if (source != null && isVip(config, source)) {
                problems.add(error(path(fe), value(fe) + " (expected: an address of the balancer's own on " + iface
                        + " beside the VIP: dsr_method \"" + delivery.id() + "\" health checks leave from the address "
                        + "the kernel picks towards server " + s.name() + ", here VIP " + source.getHostAddress()
                        + ", which the servers hold on lo, so no check is ever answered; add one, e.g. ip addr add "
                        + "<balancer address>/<prefix> dev " + iface + ", as the interface's primary address)"));
                return;
            }
        }
    }

    private static boolean isVip(ConveyConfig config, InetAddress address) {
        return config.frontends().values().stream().anyMatch(f -> address.equals(f.listenAddr().getAddress()));
    }

    /**
     * Adds the problems of a frontend's address families: IPv6 VIPs work in passthrough and DSR nat only (l2 and
     * ipip are IPv4-only here), a pool's servers must be of the VIP's family (there is no NAT64), and link-local
     * addresses lose the scope they need.
     *
     * @return true if the frontend has none
     */
    private static boolean familyProblems(Mode mode, ConveyConfig config, FrontendConfig fe, List<Problem> problems) {
        boolean ipv6 = fe.listenAddr().getAddress() instanceof Inet6Address;
        PoolConfig pool = config.backends().get(fe.backend());
        if (pool == null) {
            return true;
        }
        int before = problems.size();
        if (isLinkLocal(fe.listenAddr().getAddress())) {
            problems.add(error(path(fe), value(fe) + LINK_LOCAL));
        }
        Delivery delivery = PacketDeliveries.of(mode, pool.dsrMethod());
        if (ipv6 && (delivery == Delivery.DSR_L2 || delivery == Delivery.DSR_IPIP)) {
            problems.add(error(path(fe), value(fe) + " (expected: an IPv4 address for dsr_method " + delivery.id()
                    + ")"));
        }
        for (ServerConfig s : pool.servers().values()) {
            String serverPath = "backends." + key(fe.backend()) + ".servers." + key(s.name()) + ".addr";
            String serverValue = "\"" + SocketAddresses.format(s.addr()) + "\"";
            if (isLinkLocal(s.addr().getAddress())) {
                problems.add(error(serverPath, serverValue + LINK_LOCAL));
            } else if ((s.addr().getAddress() instanceof Inet6Address) != ipv6) {
                problems.add(error(serverPath, serverValue + " (expected: an " + (ipv6 ? "IPv6" : "IPv4")
                        + " address like the VIP of frontend " + fe.name() + ": packet modes do not translate between"
                        + " IPv4 and IPv6)"));
            }
        }
        return problems.size() == before;
    }

    private static boolean isLinkLocal(InetAddress address) {
        return address instanceof Inet6Address v6 && v6.isLinkLocalAddress();
    }

    private static String path(FrontendConfig fe) {
        return "frontends." + key(fe.name()) + ".listen_addr";
    }

    private static String value(FrontendConfig fe) {
        return "\"" + SocketAddresses.format(fe.listenAddr()) + "\"";
    }

    /** A key as problem paths write it: bare if TOML allows, else quoted. */
    private static String key(String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A problem to be placed in the file by the caller ({@link io.convey.config.KeyLocator}). */
    private static Problem error(String path, String message) {
        return Problem.error("config", 0, path, message);
    }

    private static Problem warning(String path, String message) {
        return Problem.warning("config", 0, path, message);
    }
}
