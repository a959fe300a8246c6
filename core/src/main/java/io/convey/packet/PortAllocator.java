package io.convey.packet;

/**
 * Hands out the ephemeral source ports of one worker towards one server, never one that is in use, and always the
 * least recently freed one: a freed port queues up behind every other free port, so a port (and with it the
 * 4-tuple VIP:port to server:port) comes back only after the whole share has cycled. The server may still hold the
 * previous connection on that 4-tuple in TIME_WAIT (60 s on Linux) and answers a SYN whose TCP timestamp is older
 * with an ACK instead (PAWS, RFC 7323 §5; the collision of RFC 6056 §2.3). A worker owns the ports congruent to
 * its index modulo the worker count, so that the capture filter can steer server replies to the worker that owns
 * the flow. With one worker the sequence starts at 33769 and wraps after 61000, as in the original.
 * Single-threaded.
 */
final class PortAllocator {
    /** The original's ephemeral range (utils.rs EPHEMERAL 33768..=61000). */
    static final int FIRST = 33768;
    static final int LAST = 61000;

    private final int base;
    private final int stride;
    private final boolean[] used;
    /** Free slots in the order they will be handed out: a ring of {@code free} entries from {@code head}. */
    private final char[] queue;
    private int head;
    private int free;

    PortAllocator(int first, int last, int stride, int residue) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range: " + first + "-" + last + " (expected: 1-65535, first <= last)");
        }
        if (stride < 1 || residue < 0 || residue >= stride) {
            throw new IllegalArgumentException("residue: " + residue + " (expected: 0-" + (stride - 1) + ")");
        }
        this.base = first + Math.floorMod(residue - first, stride);
        this.stride = stride;
        int n = base > last ? 0 : (last - base) / stride + 1;
        this.used = new boolean[n];
        this.queue = new char[n];
        for (int i = 0; i < n; i++) {
            queue[i] = (char) ((i + 1) % n); // slot 1 first, slot 0 last, as the original's cursor
        }
        this.free = n;
    }

    /** One worker's share of the default range. */
    static PortAllocator forWorker(int worker, int workers) {
        return new PortAllocator(FIRST, LAST, workers, worker);
    }

    /** Returns the least recently freed port (never-used ones first), marking it used, or -1 if all are in use. */
    int allocate() {
        if (free == 0) {
            return -1;
        }
        int slot = queue[head];
        head = (head + 1) % queue.length;
        free--;
        used[slot] = true;
        return base + slot * stride;
    }

    /** Makes a port handed out by {@link #allocate} free again, behind every other free port. */
    void release(int port) {
        int slot = (port - base) / stride;
        if (used[slot]) {
            used[slot] = false;
            queue[(head + free) % queue.length] = (char) slot;
            free++;
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
        return used.length - free;
    }
}
