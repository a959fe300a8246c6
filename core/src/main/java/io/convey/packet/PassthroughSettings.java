package io.convey.packet;

import java.time.Duration;
import java.util.Objects;

/**
 * Fixed settings of a passthrough data plane: the capture interface, the number of workers, the flow-table
 * capacity (shared out among the workers), the flow timeouts, how often idle flows are swept, whether TCP
 * checksums are verified and how frames are captured (the IPv4 header checksum always is). TCP verification is off by default: summing every
 * segment cost 12% of a worker's Java time, and it buys nothing, because the rewrite updates the checksum
 * incrementally (RFC 1624), so a corrupt segment arrives corrupt and the receiver's stack drops it.
 */
public record PassthroughSettings(String interfaceName, int workers, int flowCapacity, FlowTimeouts timeouts,
                                  Duration sweepInterval, boolean verifyTcpChecksum, Capture capture) {

    /** How workers capture frames. */
    public enum Capture {
        /** A PACKET_MMAP ring where it can be set up, else libpcap (logged). */
        AUTO,
        /** A PACKET_MMAP ring; start fails if it cannot be set up. */
        RING,
        /** libpcap through pcap4j. */
        PCAP
    }

    public PassthroughSettings(String interfaceName, int workers, int flowCapacity, FlowTimeouts timeouts,
                               Duration sweepInterval, boolean verifyTcpChecksum) {
        this(interfaceName, workers, flowCapacity, timeouts, sweepInterval, verifyTcpChecksum, Capture.AUTO);
    }

    public PassthroughSettings {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(capture, "capture");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers: " + workers + " (expected: 1-64)");
        }
        if (flowCapacity < workers) {
            throw new IllegalArgumentException("flowCapacity: " + flowCapacity + " (expected: >= workers)");
        }
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval: " + sweepInterval + " (expected: > 0)");
        }
    }

    /**
     * The original's defaults: 4 workers, 1000 flows; timeouts from {@link FlowTimeouts#defaults()}; TCP checksums
     * left to the receiver.
     */
    public static PassthroughSettings defaults(String interfaceName) {
        return new PassthroughSettings(interfaceName, 4, 1000, FlowTimeouts.defaults(), Duration.ofMillis(250), false);
    }
}
