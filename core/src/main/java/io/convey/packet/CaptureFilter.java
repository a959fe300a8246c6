package io.convey.packet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the kernel (BPF) capture filter of one worker: client segments to each VIP:port and, for passthrough
 * frontends, server replies to the VIP's ephemeral ports (in DSR replies go to the clients directly). With several
 * workers each takes its share: client segments by source port and replies by destination port modulo the worker
 * count, matching the ports its {@link PortAllocator} hands out. Every flow thus lives in exactly one worker, which
 * needs no locks (per-CPU tables as in Katran).
 */
final class CaptureFilter {
    /**
     * Matches nothing: a worker without frontends stays idle. Not "tcp and not tcp": libpcap's optimizer proves
     * that empty and pcap_compile fails ("expression rejects all packets"); no real frame is shorter than 1 byte.
     */
    static final String NOTHING = "less 1";

    private CaptureFilter() {}

    static String forWorker(List<PassthroughFrontend> frontends, int worker, int workers) {
        List<String> clauses = new ArrayList<>();
        Set<String> replies = new LinkedHashSet<>();
        for (PassthroughFrontend f : frontends) {
            String vip = f.vip().getHostAddress();
            clauses.add("(dst host " + vip + " and dst port " + f.port() + shard("tcp[0:2]", worker, workers) + ")");
            for (ServerRef s : f.delivery().isDsr() ? List.<ServerRef>of() : f.servers()) {
                replies.add("(src host " + Ipv4.format(s.ip()) + " and src port " + s.port() + " and dst host " + vip
                        + " and dst portrange " + PortAllocator.FIRST + "-" + PortAllocator.LAST
                        + shard("tcp[2:2]", worker, workers) + ")");
            }
        }
        clauses.addAll(replies);
        return clauses.isEmpty() ? NOTHING : "tcp and (" + String.join(" or ", clauses) + ")";
    }

    private static String shard(String port, int worker, int workers) {
        return workers == 1 ? "" : " and " + port + " % " + workers + " = " + worker;
    }
}
