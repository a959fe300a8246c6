package io.convey.proxy;

/**
 * The bytes a flow forwarded each way, and those its observers have not seen yet: handed over once per read loop
 * (and at the end), so that the counters follow the traffic while a bulk transfer bumps the shared counters once
 * per loop instead of once per read. Confined to the flow's event loop.
 */
final class FlowBytes {
    private long fromClient;
    private long fromServer;
    private long unreportedFromClient;
    private long unreportedFromServer;

    void add(boolean clientToServer, long n) {
        if (clientToServer) {
            fromClient += n;
            unreportedFromClient += n;
        } else {
            fromServer += n;
            unreportedFromServer += n;
        }
    }

    /** Hands the bytes forwarded since the last call to both observers. */
    void report(FlowObserver frontend, FlowObserver server) {
        if (unreportedFromClient > 0) {
            long n = unreportedFromClient;
            unreportedFromClient = 0;
            frontend.bytesFromClient(n);
            server.bytesFromClient(n);
        }
        if (unreportedFromServer > 0) {
            long n = unreportedFromServer;
            unreportedFromServer = 0;
            frontend.bytesFromServer(n);
            server.bytesFromServer(n);
        }
    }

    long fromClient() {
        return fromClient;
    }

    long fromServer() {
        return fromServer;
    }
}
