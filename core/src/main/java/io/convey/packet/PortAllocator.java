package io.convey.packet;

/**
 * Hands out the source ports of one worker towards one server, never one that is in use. It keeps the client's own
 * port where it can, as the kernel's NAT (MASQUERADE) does: Linux gives every 4-tuple its own random TCP timestamp
 * offset, and a server holding a 4-tuple in TIME_WAIT (60 s) accepts a new SYN on it only if the SYN's timestamp is
 * newer (PAWS, RFC 7323 §5). Reusing VIP:port towards a server for another client connection fails half the time
 * then (the SYN is answered with an ACK, the client resets and retries a second later), while the client's own
 * port keeps VIP:port:server:port tied to one client 4-tuple, whose timestamps only grow. When the client's port is
 * taken towards this server (another client chose it too) or out of range, the next free port after the last one
 * handed out that way is used (from 61000 up first), so those cycle through the whole share. A worker owns the ports that
 * {@link CaptureFilter#workerOf} assigns to it, so the capture filter steers a server's reply to the worker owning
 * the flow, and a client's port is always in its worker's share. Single-threaded.
 */
final class PortAllocator {
    /**
     * The ports clients choose from (Linux 32768-60999, Windows and macOS 49152-65535), so that a client's own port
     * can be kept; the health checks' source ports on the VIP lie below ({@link PacketDataPlane#HEALTH_FIRST_PORT}).
     */
    static final int FIRST = 32768;
    static final int LAST = 65535;
    /** Ports handed out without a preference start above Linux's client range, which clients use most. */
    private static final int FIRST_FALLBACK = 61000;

    private final int first;
    private final int last;
    private final int worker;
    private final int workers;
    private final long[] used = new long[1024]; // one bit per port number
    private final int capacity;
    private int cursor;
    private int inUse;

    PortAllocator(int first, int last, int worker, int workers) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range: " + first + "-" + last + " (expected: 1-65535, first <= last)");
        }
        if (workers < 1 || worker < 0 || worker >= workers) {
            throw new IllegalArgumentException("worker: " + worker + " (expected: 0-" + (workers - 1) + ")");
        }
        this.first = first;
        this.last = last;
        this.worker = worker;
        this.workers = workers;
        int n = 0;
        for (int p = first; p <= last; p++) {
            n += owns(p) ? 1 : 0;
        }
        this.capacity = n;
        this.cursor = FIRST_FALLBACK > first && FIRST_FALLBACK <= last ? FIRST_FALLBACK - 1 : last;
    }

    /** One worker's share of the default range. */
    static PortAllocator forWorker(int worker, int workers) {
        return new PortAllocator(FIRST, LAST, worker, workers);
    }

    /** Returns {@code preferred} if it is this worker's and free, else the next free port; -1 if all are in use. */
    int allocate(int preferred) {
        if (preferred >= first && preferred <= last && owns(preferred) && !isUsed(preferred)) {
            return take(preferred);
        }
        if (inUse == capacity) {
            return -1;
        }
        for (int p = cursor; ; ) {
            p = p == last ? first : p + 1;
            if (owns(p) && !isUsed(p)) {
                cursor = p;
                return take(p);
            }
        }
    }

    /** Returns the next free port after the last one handed out without a preference; -1 if all are in use. */
    int allocate() {
        return allocate(-1);
    }

    /** Makes a port handed out by {@link #allocate} free again. */
    void release(int port) {
        if (isUsed(port)) {
            used[port >>> 6] &= ~(1L << port);
            inUse--;
        }
    }

    /** Returns true if the port belongs to this allocator's share. */
    boolean owns(int port) {
        return port >= first && port <= last && (workers == 1 || CaptureFilter.workerOfPort(port, workers) == worker);
    }

    int capacity() {
        return capacity;
    }

    int inUse() {
        return inUse;
    }

    private boolean isUsed(int port) {
        return (used[port >>> 6] & 1L << port) != 0;
    }

    private int take(int port) {
        used[port >>> 6] |= 1L << port;
        inUse++;
        return port;
    }
}
