package io.convey.packet;

import static io.convey.packet.TcpFrame.readInt;
import static io.convey.packet.TcpFrame.readU16;
import static io.convey.packet.TcpFrame.writeInt;
import static io.convey.packet.TcpFrame.writeU16;

/**
 * Cuts a TCP super-frame (segments a sender's TSO/GSO or a receiver's GRO merged into one packet) into segments of
 * at most {@code mss} payload bytes, for the sends that cannot hand the kernel a super-frame with its
 * {@code virtio_net_hdr} (libpcap, raw IP sockets, IPv4-in-IPv4). Does what the kernel's {@code tcp_gso_segment}
 * and {@code inet_gso_segment} do: each segment gets the headers with its own length, the sequence number of its
 * first byte, an IPv4 identification one above the previous segment's, FIN and PSH only on the last segment and CWR
 * only on the first, and complete IPv4 header and TCP checksums (whatever the super-frame's checksum held). IPv4 and
 * IPv6 (without extension headers, as {@link TcpFrame} accepts). Reuses one output buffer; single-threaded.
 */
final class TcpSegmenter {
    private static final int CWR = 0x80;
    private static final int PSH = 0x08;
    /** Room for an Ethernet header with a VLAN tag, IPv4 or IPv6 header and a TCP header with options. */
    private static final int MAX_HEADERS = 18 + 60 + 60;

    /** Receives each segment; returns false if it could not be sent (counted by the caller). */
    @FunctionalInterface
    interface Sink {
        boolean segment(byte[] buffer, int offset, int length);
    }

    private final byte[] out = new byte[MAX_HEADERS + 0xFFFF];

    /**
     * Segments the IP packet at {@code packet[ipOffset, ipOffset + ipLength)}; the bytes from {@code frameStart} up
     * to {@code ipOffset} (an Ethernet header, or none) are copied in front of each segment.
     *
     * @return the number of segments the sink refused, or -1 if the packet is not one this can segment (not IPv4 or
     *     IPv6 TCP, an MSS below 1, or headers that do not fit)
     */
    int segment(byte[] packet, int frameStart, int ipOffset, int ipLength, int mss, Sink sink) {
        int version = (packet[ipOffset] & 0xF0) >>> 4;
        int ipHeader;
        if (version == 4) {
            ipHeader = (packet[ipOffset] & 0x0F) * 4;
            if ((packet[ipOffset + 9] & 0xFF) != TcpFrame.PROTOCOL_TCP) {
                return -1;
            }
        } else if (version == 6 && (packet[ipOffset + 6] & 0xFF) == TcpFrame.PROTOCOL_TCP) {
            ipHeader = TcpFrame.IPV6_HEADER;
        } else {
            return -1;
        }
        int tcp = ipOffset + ipHeader;
        int end = ipOffset + ipLength;
        if (mss < 1 || ipHeader < 20 || tcp + 20 > end) {
            return -1;
        }
        int headerEnd = tcp + ((packet[tcp + 12] & 0xFF) >>> 4) * 4;
        int headerBytes = headerEnd - frameStart;
        if (headerEnd < tcp + 20 || headerEnd > end || headerBytes > MAX_HEADERS) {
            return -1;
        }
        int outIp = ipOffset - frameStart;
        int outTcp = tcp - frameStart;
        int seq = readInt(packet, tcp + 4);
        int flags = packet[tcp + 13] & 0xFF;
        int id = version == 4 ? readU16(packet, ipOffset + 4) : 0;
        int failed = 0;
        int index = 0;
        for (int at = headerEnd; index == 0 || at < end; index++) {
            int payload = Math.min(mss, end - at);
            boolean last = at + payload >= end;
            System.arraycopy(packet, frameStart, out, 0, headerBytes);
            System.arraycopy(packet, at, out, headerBytes, payload);
            int segmentIp = headerBytes - outIp + payload; // IP header, TCP header, payload
            int segmentTcp = segmentIp - ipHeader;
            if (version == 4) {
                writeU16(out, outIp + 2, segmentIp);
                writeU16(out, outIp + 4, id + index);
                writeU16(out, outIp + 10, 0);
                writeU16(out, outIp + 10, Checksums.ipv4Header(out, outIp, ipHeader));
            } else {
                writeU16(out, outIp + 4, segmentTcp);
            }
            writeInt(out, outTcp + 4, seq + (at - headerEnd));
            int segmentFlags = flags;
            if (!last) {
                segmentFlags &= ~(TcpFrame.FIN | PSH);
            }
            if (index > 0) {
                segmentFlags &= ~CWR;
            }
            out[outTcp + 13] = (byte) segmentFlags;
            int sum = version == 4
                    ? Checksums.tcp(out, readInt(out, outIp + 12), readInt(out, outIp + 16), outTcp, segmentTcp)
                    : Checksums.tcpIpv6(out, outIp, outTcp, segmentTcp);
            writeU16(out, outTcp + 16, sum);
            if (!sink.segment(out, 0, headerBytes + payload)) {
                failed++;
            }
            at += payload;
        }
        return failed;
    }

    /** The payload bytes per segment that keep an IP packet with these headers within {@code mtu}. */
    static int mssFor(int mtu, byte[] packet, int ipOffset) {
        boolean v4 = (packet[ipOffset] & 0xF0) == 0x40;
        int ipHeader = v4 ? (packet[ipOffset] & 0x0F) * 4 : TcpFrame.IPV6_HEADER;
        int tcp = ipOffset + ipHeader;
        return mtu - ipHeader - ((packet[tcp + 12] & 0xFF) >>> 4) * 4;
    }
}
