package io.convey.packet;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one worker. Single writer (the worker thread), any reader: the writer publishes with
 * {@code lazySet}, so an increment is a plain add and an ordered store, without a lock or a CAS.
 */
final class WorkerCounters {
    static final int OPENED = 0;
    static final int CLOSED = 1;
    static final int ACTIVE = 2;
    static final int BYTES_TO_SERVERS = 3;
    static final int BYTES_TO_CLIENTS = 4;
    static final int PACKETS_TO_SERVERS = 5;
    static final int PACKETS_TO_CLIENTS = 6;
    static final int RESETS_SENT = 7;
    static final int EVICTED = 8;
    static final int SENT_AS_FRAMES = 9;
    static final int SENT_ROUTED = 10;
    /** Super-frames sent whole with their vnet header, for the kernel or the NIC to segment. */
    static final int SUPER_FRAMES_WHOLE = 11;
    /** Super-frames segmented here, where the send cannot take them whole (libpcap, raw sockets, ipip). */
    static final int SUPER_FRAMES_SEGMENTED = 12;
    /** Reads of the capture's loss statistics that failed: losses of those intervals are unknown. */
    static final int STATISTICS_FAILED = 13;
    /** UDP flows opened (also counted in {@link #OPENED}, which counts flows of both protocols). */
    static final int UDP_FLOWS_OPENED = 14;
    static final int UDP_DATAGRAMS_TO_SERVERS = 15;
    /** UDP payload bytes (without the 8-byte header). */
    static final int UDP_BYTES_TO_SERVERS = 16;
    static final int UDP_DATAGRAMS_TO_CLIENTS = 17;
    static final int UDP_BYTES_TO_CLIENTS = 18;
    /** UDP datagrams dropped as malformed or with a bad checksum (also counted under their drop reason). */
    static final int UDP_DROPPED_MALFORMED = 19;
    /** One past the last counter that is not a drop. */
    static final int COUNTERS = 20;
    private static final int DROPS = COUNTERS;

    private final AtomicLongArray values = new AtomicLongArray(DROPS + DropReason.values().length);

    void add(int counter, long delta) {
        values.lazySet(counter, values.get(counter) + delta);
    }

    void set(int counter, long value) {
        values.lazySet(counter, value);
    }

    void drop(DropReason reason) {
        add(DROPS + reason.ordinal(), 1);
    }

    void drops(DropReason reason, long n) {
        if (n != 0) {
            add(DROPS + reason.ordinal(), n);
        }
    }

    long get(int counter) {
        return values.get(counter);
    }

    long drops(DropReason reason) {
        return values.get(DROPS + reason.ordinal());
    }
}
