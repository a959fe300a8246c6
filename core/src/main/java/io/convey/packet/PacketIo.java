package io.convey.packet;

import java.io.IOException;

/**
 * Capture and injection for one worker: frames in at layer 2, IP packets out at layer 3 (or whole frames out at
 * layer 2 for DSR l2). Used by one thread only.
 */
interface PacketIo extends AutoCloseable {

    /**
     * Receives one frame and what the kernel said about it (a super-frame, a partial checksum); the array and the
     * offload belong to the handler until it returns, and the frame may be rewritten in place.
     */
    @FunctionalInterface
    interface FrameHandler {
        void frame(byte[] frame, int length, FrameOffload offload);
    }

    /** Hands up to {@code max} frames that are ready now to the handler, without waiting; returns how many. */
    int receive(int max, FrameHandler handler) throws IOException;

    /** Waits until frames may be ready or {@code nanos} have passed, whichever comes first; may return early. */
    void await(long nanos);

    /**
     * The longest wait a worker should ask {@link #await} for: long if a frame's arrival ends the wait, short if
     * {@link #await} only sleeps (then it bounds the delay of the first frame after a quiet spell).
     */
    long longestAwaitNanos();

    /** Frames lost before reaching the handler since the last call: the kernel's buffer was full, or a frame was too big. */
    Losses takeLosses();

    /**
     * Frames lost in capture (dropped by the kernel because the buffer was full, or too big for a ring slot),
     * queued frames the kernel refused to send, and reads of the capture's loss statistics that failed (the losses
     * of that interval are then unknown, not zero).
     */
    record Losses(long overflow, long tooBig, long sendFailed, long statisticsFailed) {
        Losses(long overflow, long tooBig, long sendFailed) {
            this(overflow, tooBig, sendFailed, 0);
        }
    }

    /** Sends what {@link #sendFrame} queued, if it queues; the worker calls it at the end of each batch. */
    default void flush() {
    }

    /**
     * The largest IP packet {@link #send} and {@link #sendIpv6} take (the interface's MTU), and {@link #sendFrame}
     * takes behind its Ethernet header unless {@link #sendsOffloads}: larger ones are segmented first.
     */
    int mtu();

    /**
     * True if {@link #sendFrame} takes super-frames and partial checksums as they are (each frame goes with its
     * {@code virtio_net_hdr}); false if frames must be single segments with complete checksums.
     */
    boolean sendsOffloads();

    /** Sends the IPv4 packet at {@code packet[offset, offset+length)} to {@code destinationIp}; false if refused. */
    boolean send(byte[] packet, int offset, int length, int destinationIp);

    /**
     * Sends the IPv6 packet at {@code packet[offset, offset+length)} to the destination address in its header;
     * false if refused (or if this host has no IPv6).
     */
    boolean sendIpv6(byte[] packet, int offset, int length);

    /**
     * True if {@link #sendFrame} is cheaper than {@link #send}: whole frames then leave by it when the next hop's MAC
     * is known, without the kernel's routing and IP output.
     */
    boolean prefersFrames();

    /**
     * Sends the Ethernet frame at {@code frame[offset, offset+length)} as it is, with what {@code offload} says
     * where {@link #sendsOffloads} (else it is ignored); false if refused.
     */
    boolean sendFrame(byte[] frame, int offset, int length, FrameOffload offload);

    /** Replaces the kernel capture filter (BPF expression). */
    void filter(String expression) throws IOException;

    @Override
    void close();
}
