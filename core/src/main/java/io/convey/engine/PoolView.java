package io.convey.engine;

import io.convey.config.PoolConfig;
import io.convey.health.HealthStatus;
import io.convey.stats.DatagramCounters;
import io.convey.stats.QueueCounters;
import io.convey.stats.TrafficCounters;
import io.convey.stats.UpstreamCounters;
import java.util.List;

/**
 * A read-only picture of one pool now: config, and per server its health, counters and expected share.
 *
 * @param udp   the UDP counters when a UDP frontend uses the pool, else null (also on each server)
 * @param queue the pool's connection queue: waiting now, and the connections it served, timed out or refused
 */
public record PoolView(PoolConfig config, TrafficCounters.Snapshot counters, List<ServerView> servers,
        DatagramCounters.Snapshot udp, QueueCounters.Snapshot queue) {

    /**
     * One server now. {@code health} is null before its first check; {@code peakConnections} is the most connections
     * it had open at once, {@code upstream} what the proxy saw connecting to it (zeros in the packet modes).
     */
    public record ServerView(String name, String addr, int weight, String state, boolean up, boolean eligible,
            double expectedShare, HealthStatus health, TrafficCounters.Snapshot counters, DatagramCounters.Snapshot udp,
            long peakConnections, UpstreamCounters.Snapshot upstream, Limits limits) {}

    /**
     * A server's limit and ramp now.
     *
     * @param maxConnections  its {@code max_connections}, 0 = none
     * @param slotsInUse      connections sent to it and not yet ended (connecting ones included; proxy mode)
     * @param effectiveWeight the weight it has now, below its weight while it ramps up in slow start
     * @param rampPercent     how far its slow start has got, 100 when it takes its full weight
     */
    public record Limits(int maxConnections, int slotsInUse, double effectiveWeight, int rampPercent) {}
}
