package io.convey.config;

/** How the packet modes capture frames: {@code [passthrough] capture}. */
public enum CaptureMethod implements ConfigWord {
    /** The ring where the kernel offers one, else libpcap. */
    AUTO,
    /** A PACKET_MMAP receive ring shared with the kernel (Linux); start fails if it cannot be set up. */
    RING,
    /** libpcap through pcap4j: the portable path, several times slower. */
    PCAP
}
