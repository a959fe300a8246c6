package io.convey.packet;

/**
 * Picks servers for new flows and reports server health; implemented by the engine (weighted Maglev over the
 * healthy servers). Called on data-plane threads for every new flow and every client packet: must not block, lock
 * or allocate.
 */
public interface FlowScheduler {

    /** Returns the server for a new flow from this client, or null if no server can take it. */
    ServerRef pick(int clientIp, int clientPort);

    /** Returns false once the server is down: its flows are reset and removed. */
    boolean isUp(ServerRef server);
}
