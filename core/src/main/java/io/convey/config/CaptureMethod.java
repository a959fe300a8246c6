package io.convey.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the packet modes capture frames: {@code [passthrough] capture}. */
public enum CaptureMethod {
    /** The ring where the kernel offers one, else libpcap. */
    AUTO,
    /** A PACKET_MMAP receive ring shared with the kernel (Linux); start fails if it cannot be set up. */
    RING,
    /** libpcap through pcap4j: the portable path, several times slower. */
    PCAP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CaptureMethod> fromId(String id) {
        return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(CaptureMethod::id).collect(Collectors.joining(", "));
    }
}
