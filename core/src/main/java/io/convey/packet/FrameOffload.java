package io.convey.packet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * What the kernel says about a captured frame beside its bytes, from its {@code struct virtio_net_hdr}
 * ({@code include/uapi/linux/virtio_net.h}): whether it is a segmentation-offloaded super-frame (TCP segments merged
 * by the sender's TSO/GSO or by GRO, to be cut into {@link #gsoSize}-byte segments on the way out) and whether its
 * TCP checksum is partial (the field holds only the pseudo-header's sum, the rest is left to the device). One per
 * I/O, refilled for each frame; a frame the kernel says nothing about is a plain frame with a complete checksum.
 */
final class FrameOffload {
    /** virtio_net_hdr.gso_type values. */
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_TCPV6 = 4;
    static final int GSO_ECN = 0x80;
    /** virtio_net_hdr.flags: the checksum at csum_start + csum_offset is partial. */
    static final int F_NEEDS_CSUM = 1;
    /** sizeof(struct virtio_net_hdr). */
    static final int HEADER_BYTES = 10;
    /** The header's fields are little-endian (virtio 1.0, and what the kernel uses on little-endian hosts). */
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);

    /** virtio_net_hdr.gso_type, {@link #GSO_NONE} for a frame that is sent as it is. */
    int gsoType;
    /** Payload bytes per segment of a super-frame; 0 if unknown (then the MTU decides). */
    int gsoSize;
    /** True if the TCP checksum field holds the pseudo-header's sum only (Linux's CHECKSUM_PARTIAL). */
    boolean partialChecksum;
    /** Where the checksummed part starts (from the frame's first byte) and where its checksum field is (from there). */
    int csumStart;
    int csumOffset;

    /** A plain frame: no segmentation, a complete checksum. */
    FrameOffload clear() {
        gsoType = GSO_NONE;
        gsoSize = 0;
        partialChecksum = false;
        csumStart = 0;
        csumOffset = 0;
        return this;
    }

    boolean isSuperFrame() {
        return gsoType != GSO_NONE;
    }

    /** Fills this from the 10-byte little-endian header at {@code at} ({@code virtio_net_hdr_from_skb}). */
    void read(MemorySegment segment, long at) {
        int flags = segment.get(JAVA_BYTE, at) & 0xFF;
        gsoType = segment.get(JAVA_BYTE, at + 1) & 0xFF;
        gsoSize = u16(segment, at + 4);
        partialChecksum = (flags & F_NEEDS_CSUM) != 0;
        csumStart = partialChecksum ? u16(segment, at + 6) : 0;
        csumOffset = partialChecksum ? u16(segment, at + 8) : 0;
    }

    /**
     * Writes the header for sending a frame whose TCP header ends at {@code headerEnd}: hdr_len covers the headers,
     * and a super-frame keeps its GSO type and size so that the kernel (or the NIC) segments it.
     */
    void write(MemorySegment segment, long at, int headerEnd) {
        segment.set(JAVA_BYTE, at, (byte) (partialChecksum ? F_NEEDS_CSUM : 0));
        segment.set(JAVA_BYTE, at + 1, (byte) gsoType);
        putU16(segment, at + 2, gsoType == GSO_NONE ? 0 : headerEnd);
        putU16(segment, at + 4, gsoType == GSO_NONE ? 0 : gsoSize);
        putU16(segment, at + 6, partialChecksum ? csumStart : 0);
        putU16(segment, at + 8, partialChecksum ? csumOffset : 0);
    }

    private static int u16(MemorySegment s, long at) {
        return s.get(LE_SHORT, at) & 0xFFFF;
    }

    private static void putU16(MemorySegment s, long at, int value) {
        s.set(LE_SHORT, at, (short) value);
    }

    @Override
    public String toString() {
        return "FrameOffload[gsoType=" + gsoType + ", gsoSize=" + gsoSize + ", partialChecksum=" + partialChecksum
                + ", csumStart=" + csumStart + ", csumOffset=" + csumOffset + "]";
    }
}
