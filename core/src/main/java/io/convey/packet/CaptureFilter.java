package io.convey.packet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the kernel (BPF) capture filter of one worker: client segments (or UDP datagrams) to each VIP:port and, for passthrough
 * frontends, server replies to the source ports of the address flows leave from (the VIP or the appliance's own
 * {@link PassthroughFrontend#source}; in DSR replies go to the clients directly). With several
 * workers each takes its share by one hash of a port ({@link #workerOfPort}): client segments by the client's
 * port, replies by their destination port, which is the client's port or another port of the same worker's share
 * (see {@link PortAllocator}). Every flow thus lives in exactly one worker, which needs no locks (per-CPU tables
 * as in Katran).
 */
final class CaptureFilter {
    /**
     * Matches nothing: a worker without frontends stays idle. Not "tcp and not tcp": libpcap's optimizer proves
     * that empty and pcap_compile fails ("expression rejects all packets"); no real frame is shorter than 1 byte.
     */
    static final String NOTHING = "less 1";
    /** 2^32 divided by the golden ratio (Knuth's multiplicative hashing). */
    private static final int GOLDEN = 0x9E3779B1;
    /**
     * libpcap's tcp[] and udp[] accessors only follow IPv4 headers; the data plane drops IPv6 extension headers, so
     * TCP and UDP start right after the 40-byte IPv6 header (their ports are at the same offsets).
     */
    private static final String IPV6_SOURCE_PORT = "ip6[40:2]";
    private static final String IPV6_DESTINATION_PORT = "ip6[42:2]";

    private CaptureFilter() {}

    static String forWorker(List<PassthroughFrontend> frontends, int worker, int workers) {
        String tcp = clauses(frontends, false, worker, workers);
        String udp = clauses(frontends, true, worker, workers);
        if (tcp == null && udp == null) {
            return NOTHING;
        }
        if (udp == null) {
            return "tcp and (" + tcp + ")";
        }
        return tcp == null ? "udp and (" + udp + ")" : "(tcp and (" + tcp + ")) or (udp and (" + udp + "))";
    }

    /** The clauses of the TCP or the UDP frontends, or null if there are none. */
    private static String clauses(List<PassthroughFrontend> frontends, boolean udp, int worker, int workers) {
        List<String> clauses = new ArrayList<>();
        Set<String> replies = new LinkedHashSet<>();
        String v4 = udp ? "udp" : "tcp";
        for (PassthroughFrontend f : frontends) {
            if (f.transport().isUdp() != udp) {
                continue;
            }
            String vip = f.vipHost();
            boolean ipv6 = f.isIpv6();
            String family = ipv6 ? "ip6 and " : "";
            clauses.add("(" + family + "dst host " + vip + " and dst port " + f.port()
                    + shard(ipv6 ? IPV6_SOURCE_PORT : v4 + "[0:2]", worker, workers) + ")");
            for (ServerRef s : f.delivery().isDsr() ? List.<ServerRef>of() : f.servers()) {
                replies.add("(" + family + "src host " + s.host() + " and src port " + s.port() + " and dst host "
                        + f.sourceHost() + " and dst portrange " + PortAllocator.FIRST + "-" + PortAllocator.LAST
                        + shard(ipv6 ? IPV6_DESTINATION_PORT : v4 + "[2:2]", worker, workers) + ")");
            }
        }
        clauses.addAll(replies);
        return clauses.isEmpty() ? null : String.join(" or ", clauses);
    }

    /**
     * The worker of a port: a multiplicative (Fibonacci) hash, as the filter computes it in 32-bit unsigned BPF
     * arithmetic. Not the port's remainder: Linux's connect() prefers even source ports (since 4.2), so by parity
     * one worker got them all. The client's address is left out so that a reply, which carries only the port the
     * flow uses towards the server, finds the same worker.
     */
    static int workerOfPort(int port, int workers) {
        return (port * GOLDEN >>> 16) % workers;
    }

    private static String shard(String port, int worker, int workers) {
        return workers == 1 ? "" : " and ((" + port + " * " + Integer.toUnsignedString(GOLDEN) + ") >> 16) % "
                + workers + " = " + worker;
    }
}
