package io.convey.packet;

/**
 * Picks servers for new flows and reports server health; implemented by the engine (weighted Maglev over the
 * healthy servers). Called on data-plane threads for every new flow and every client packet: must not block, lock
 * or allocate.
 */
public interface FlowScheduler {

    /** Returns the server for a new flow from this client, or null if no server can take it. */
    ServerRef pick(int clientIp, int clientPort);

    /**
     * Returns the server for a new flow from an IPv6 client, given its address as two longs (big-endian halves),
     * or null. The default folds the address to 32 bits for {@link #pick(int, int)}: stable for a client, so DSR's
     * picks stay consistent across workers and after a flow expired.
     */
    default ServerRef pick(long clientHigh, long clientLow, int clientPort) {
        long folded = clientHigh ^ clientLow;
        return pick((int) (folded ^ (folded >>> 32)), clientPort);
    }

    /** Returns false once the server is down: its flows are reset and removed, unless {@link #keepsFlowsOf} it. */
    boolean isUp(ServerRef server);

    /**
     * True if the flows of this server, while it is down, go on to it until they end or idle out instead of being
     * reset (a health-check failure in a pool that keeps them; never for a server the operator disabled).
     */
    default boolean keepsFlowsOf(ServerRef server) {
        return false;
    }
}
