package io.convey.packet;

/**
 * Hands out ephemeral source ports for new flows and never one that is in use. A worker owns the ports congruent to
 * its index modulo the worker count, so that the capture filter can steer server replies to the worker that owns
 * the flow. With one worker the sequence starts at 33769 and wraps after 61000, as in the original. Single-threaded.
 */
final class PortAllocator {
    /** The original's ephemeral range (utils.rs EPHEMERAL 33768..=61000). */
    static final int FIRST = 33768;
    static final int LAST = 61000;

    private final int base;
    private final int stride;
    private final boolean[] used;
    private int cursor;
    private int inUse;

    PortAllocator(int first, int last, int stride, int residue) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range: " + first + "-" + last + " (expected: 1-65535, first <= last)");
        }
        if (stride < 1 || residue < 0 || residue >= stride) {
            throw new IllegalArgumentException("residue: " + residue + " (expected: 0-" + (stride - 1) + ")");
        }
        this.base = first + Math.floorMod(residue - first, stride);
        this.stride = stride;
        this.used = new boolean[base > last ? 0 : (last - base) / stride + 1];
    }

    /** One worker's share of the default range. */
    static PortAllocator forWorker(int worker, int workers) {
        return new PortAllocator(FIRST, LAST, workers, worker);
    }

    /** Returns a free port, marking it used, or -1 if every port is in use. */
    int allocate() {
        int n = used.length;
        for (int i = 1; i <= n; i++) {
            int slot = (cursor + i) % n;
            if (!used[slot]) {
                used[slot] = true;
                cursor = slot;
                inUse++;
                return base + slot * stride;
            }
        }
        return -1;
    }

    /** Makes a port handed out by {@link #allocate} free again. */
    void release(int port) {
        int slot = (port - base) / stride;
        if (used[slot]) {
            used[slot] = false;
            inUse--;
        }
    }

    /** Returns true if the port belongs to this allocator's share. */
    boolean owns(int port) {
        return port >= base && (port - base) % stride == 0 && (port - base) / stride < used.length;
    }

    int capacity() {
        return used.length;
    }

    int inUse() {
        return inUse;
    }
}
