package io.convey.packet;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the packet data plane's counters, summed over its workers. Bytes are TCP payload bytes.
 * {@code connectionsOpened - connectionsClosed == activeFlows} once the workers are idle. Connections are flows
 * opened and removed. In direct server return only the client side is seen: flows open on client SYNs (or on a
 * client segment without a flow) and end on the client's FIN or RST or by idle timeout, and nothing is forwarded to
 * clients, so {@code packetsToClients} and {@code bytesToClients} stay 0. Packets leave either as frames straight to
 * the device ({@code sentAsFrames}: the next hop's MAC was known) or routed by the kernel ({@code sentRouted}); a
 * super-frame (segments merged by TSO/GSO or GRO) counts as one packet, and is either sent whole for the kernel to
 * segment ({@code superFramesWhole}) or segmented by the data plane ({@code superFramesSegmented}).
 * {@code captureStatisticsFailed} counts reads of the capture's loss counters that failed (losses then unknown).
 * Packets and bytes above are TCP's; UDP datagrams are counted apart ({@link Udp}), while flows opened, closed and
 * active count both protocols.
 */
public record PassthroughCounters(long connectionsOpened, long connectionsClosed, long activeFlows,
                                  long bytesToServers, long bytesToClients, long packetsToServers,
                                  long packetsToClients, long resetsSent, long flowsEvicted,
                                  long sentAsFrames, long sentRouted, long superFramesWhole,
                                  long superFramesSegmented, long captureStatisticsFailed,
                                  Map<DropReason, Long> drops, Udp udp) {

    /**
     * The UDP part: flows opened, datagrams and payload bytes each way, and datagrams dropped as malformed (a bad
     * length or checksum, a zero IPv6 checksum), which the drops by reason count as well.
     */
    public record Udp(long flowsOpened, long datagramsToServers, long bytesToServers, long datagramsToClients,
                      long bytesToClients, long droppedMalformed) {}

    public PassthroughCounters {
        drops = Map.copyOf(drops);
    }

    /** Returns the number of frames dropped for a reason. */
    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    static PassthroughCounters sum(List<WorkerCounters> workers) {
        long[] totals = new long[WorkerCounters.COUNTERS];
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, 0L);
        }
        for (WorkerCounters w : workers) {
            for (int i = 0; i < totals.length; i++) {
                totals[i] += w.get(i);
            }
            for (DropReason reason : DropReason.values()) {
                drops.merge(reason, w.drops(reason), Long::sum);
            }
        }
        return new PassthroughCounters(totals[WorkerCounters.OPENED], totals[WorkerCounters.CLOSED],
                totals[WorkerCounters.ACTIVE], totals[WorkerCounters.BYTES_TO_SERVERS],
                totals[WorkerCounters.BYTES_TO_CLIENTS], totals[WorkerCounters.PACKETS_TO_SERVERS],
                totals[WorkerCounters.PACKETS_TO_CLIENTS], totals[WorkerCounters.RESETS_SENT],
                totals[WorkerCounters.EVICTED], totals[WorkerCounters.SENT_AS_FRAMES],
                totals[WorkerCounters.SENT_ROUTED], totals[WorkerCounters.SUPER_FRAMES_WHOLE],
                totals[WorkerCounters.SUPER_FRAMES_SEGMENTED], totals[WorkerCounters.STATISTICS_FAILED], drops,
                new Udp(totals[WorkerCounters.UDP_FLOWS_OPENED], totals[WorkerCounters.UDP_DATAGRAMS_TO_SERVERS],
                        totals[WorkerCounters.UDP_BYTES_TO_SERVERS], totals[WorkerCounters.UDP_DATAGRAMS_TO_CLIENTS],
                        totals[WorkerCounters.UDP_BYTES_TO_CLIENTS], totals[WorkerCounters.UDP_DROPPED_MALFORMED]));
    }
}
