package io.convey.packet;

/**
 * The source ports of one worker, one {@link PortAllocator} per server address, port and protocol (TCP, UDP). The server's TIME_WAIT is
 * per 4-tuple, so ports overlap across servers (RFC 7857 §3, as the kernel's NAT keeps tuples unique per
 * destination): each server gets the worker's whole share, and the client's own port is free towards a server
 * unless another client uses the same one. Pools (8 KiB each) are created on a server's first flow and kept for as
 * long as the worker lives. Single-threaded: only its worker touches it.
 */
final class ServerPorts {
    private final int first;
    private final int last;
    private final int worker;
    private final int workers;
    /**
     * Open addressing on (server ip, protocol, server port); a key of 0 marks an empty slot (no server is 0.0.0.0:0).
     */
    private long[] keys = new long[16];
    private PortAllocator[] pools = new PortAllocator[16];
    private int size;

    ServerPorts(int first, int last, int worker, int workers) {
        new PortAllocator(first, last, worker, workers); // validates the range once, before any server is seen
        this.first = first;
        this.last = last;
        this.worker = worker;
        this.workers = workers;
    }

    /** One worker's share of the default range, per server. */
    static ServerPorts forWorker(int worker, int workers) {
        return new ServerPorts(PortAllocator.FIRST, PortAllocator.LAST, worker, workers);
    }

    /** Returns a free TCP port towards this server, {@code preferred} if it can, or -1 if every port is in use. */
    int allocate(int serverIp, int serverPort, int preferred) {
        return allocate(serverIp, serverPort, TcpFrame.PROTOCOL_TCP, preferred);
    }

    /** Returns a free port over {@code protocol} towards this server (TCP and UDP ports are apart), or -1. */
    int allocate(int serverIp, int serverPort, int protocol, int preferred) {
        return pool(serverIp, serverPort, protocol).allocate(preferred);
    }

    /** Makes a TCP port handed out by {@link #allocate} for this server free again. */
    void release(int serverIp, int serverPort, int port) {
        release(serverIp, serverPort, TcpFrame.PROTOCOL_TCP, port);
    }

    /** Makes a port handed out over {@code protocol} for this server free again. */
    void release(int serverIp, int serverPort, int protocol, int port) {
        pool(serverIp, serverPort, protocol).release(port);
    }

    private PortAllocator pool(int serverIp, int serverPort, int protocol) {
        long key = (long) serverIp << 17 | (protocol == TcpFrame.PROTOCOL_UDP ? 1L << 16 : 0) | serverPort;
        int mask = keys.length - 1;
        int slot = slot(key, mask);
        while (keys[slot] != 0) {
            if (keys[slot] == key) {
                return pools[slot];
            }
            slot = (slot + 1) & mask;
        }
        PortAllocator created = new PortAllocator(first, last, worker, workers);
        keys[slot] = key;
        pools[slot] = created;
        if (++size * 2 > keys.length) {
            grow();
        }
        return created;
    }

    private void grow() {
        long[] oldKeys = keys;
        PortAllocator[] oldPools = pools;
        keys = new long[oldKeys.length * 2];
        pools = new PortAllocator[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slot(oldKeys[i], mask);
                while (keys[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                pools[slot] = oldPools[i];
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    int servers() {
        return size;
    }
}
