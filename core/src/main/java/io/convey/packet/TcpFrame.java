package io.convey.packet;

/**
 * A reusable view of one Ethernet + IPv4 or IPv6 + TCP or UDP frame held in a byte array: {@link #parse} validates
 * the headers and fills the fields, without allocating. For UDP, {@link #tcpOffset} and {@link #tcpLength} give the
 * UDP header and the datagram (header and payload), and the TCP-only fields are 0. For IPv6 the addresses are kept as two longs each, and
 * {@link #srcIp} and {@link #dstIp} are left 0 for the forwarder to fill with their ids ({@link Ipv6}). Not
 * thread-safe; each worker owns one.
 */
final class TcpFrame {
    static final int ETHERNET_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int IPV6_HEADER = 40;
    static final int PROTOCOL_TCP = 6;
    static final int PROTOCOL_UDP = 17;
    static final int UDP_HEADER = 8;
    /** IPv6's Fragment extension header (RFC 8200 section 4.5). */
    static final int NEXT_HEADER_FRAGMENT = 44;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    boolean ipv6;
    /** True for a UDP datagram, false for a TCP segment. */
    boolean udp;
    int ipOffset;
    int ipHeaderLength;
    /** IP total length (IPv6: header plus payload length): the packet to send; Ethernet padding is ignored. */
    int ipTotalLength;
    int tcpOffset;
    int tcpLength;
    int payloadLength;
    int srcIp;
    int dstIp;
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int srcPort;
    int dstPort;
    int flags;
    int seq;
    int ack;
    /**
     * Set by the caller before {@link #parse}: the TCP checksum field holds only the pseudo-header's sum, the rest
     * being left to the device ({@link FrameOffload#partialChecksum}); such a checksum cannot be verified, and a
     * rewrite updates it as a sum ({@link NatRewriter}).
     */
    boolean partialChecksum;

    /**
     * Validates the frame and fills the fields.
     *
     * @return null if the frame is a well-formed, unfragmented IPv4 or IPv6 TCP segment or UDP datagram (IPv6
     *     without extension headers), else the reason to drop it. A UDP length below 8 or beyond the packet, and a
     *     zero UDP checksum in IPv6 (RFC 8200 section 8.1 requires one), are malformed; a zero checksum in IPv4
     *     means none and is not verified.
     */
    DropReason parse(byte[] frame, int length, boolean verifyTcpChecksum) {
        if (length < ETHERNET_HEADER) {
            return DropReason.MALFORMED;
        }
        return switch (readU16(frame, 12)) {
            case ETHERTYPE_IPV4 -> parseIpv4(frame, length, verifyTcpChecksum);
            case ETHERTYPE_IPV6 -> parseIpv6(frame, length, verifyTcpChecksum);
            default -> DropReason.NOT_TCP;
        };
    }

    private DropReason parseIpv4(byte[] frame, int length, boolean verifyTcpChecksum) {
        int ip = ETHERNET_HEADER;
        if (length < ip + 20) {
            return DropReason.MALFORMED;
        }
        int versionIhl = frame[ip] & 0xFF;
        int ihl = (versionIhl & 0x0F) * 4;
        int total = readU16(frame, ip + 2);
        if (versionIhl >>> 4 != 4 || ihl < 20 || total < ihl || ip + total > length) {
            return DropReason.MALFORMED;
        }
        if (!Checksums.ipv4HeaderValid(frame, ip, ihl)) {
            return DropReason.BAD_CHECKSUM;
        }
        if ((readU16(frame, ip + 6) & 0x3FFF) != 0) {
            return DropReason.FRAGMENT; // MF set or a non-zero offset
        }
        int protocol = frame[ip + 9] & 0xFF;
        if (protocol != PROTOCOL_TCP && protocol != PROTOCOL_UDP) {
            return DropReason.NOT_TCP;
        }
        int src = readInt(frame, ip + 12);
        int dst = readInt(frame, ip + 16);
        // 0.0.0.0/8 is never a source or destination on the wire (RFC 1122 3.2.1.3); its ints name IPv6 ids here
        if ((src >>> 24) == 0 || (dst >>> 24) == 0) {
            return DropReason.MALFORMED;
        }
        int tcp = ip + ihl;
        int segment = total - ihl;
        if (protocol == PROTOCOL_UDP) {
            DropReason bad = udpProblem(frame, tcp, segment, verifyTcpChecksum, false, src, dst, ip);
            if (bad != null) {
                return bad;
            }
            ipv6 = false;
            srcIp = src;
            dstIp = dst;
            fillUdp(frame, ip, ihl, total, tcp);
            return null;
        }
        if (!tcpHeaderFits(frame, tcp, segment)) {
            return DropReason.MALFORMED;
        }
        if (verifyTcpChecksum && !partialChecksum && !Checksums.tcpValid(frame, src, dst, tcp, segment)) {
            return DropReason.BAD_CHECKSUM;
        }
        ipv6 = false;
        srcIp = src;
        dstIp = dst;
        fill(frame, ip, ihl, total, tcp, segment);
        return null;
    }

    private DropReason parseIpv6(byte[] frame, int length, boolean verifyTcpChecksum) {
        int ip = ETHERNET_HEADER;
        if (length < ip + IPV6_HEADER || (frame[ip] & 0xF0) != 0x60) {
            return DropReason.MALFORMED;
        }
        int segment = readU16(frame, ip + 4);
        if (ip + IPV6_HEADER + segment > length) {
            return DropReason.MALFORMED;
        }
        int next = frame[ip + 6] & 0xFF;
        if (next == NEXT_HEADER_FRAGMENT) {
            return DropReason.FRAGMENT;
        }
        if (next != PROTOCOL_TCP && next != PROTOCOL_UDP) {
            return DropReason.NOT_TCP; // another protocol, or an extension header before TCP or UDP
        }
        int tcp = ip + IPV6_HEADER;
        if (next == PROTOCOL_UDP) {
            DropReason bad = udpProblem(frame, tcp, segment, verifyTcpChecksum, true, 0, 0, ip);
            if (bad != null) {
                return bad;
            }
            ipv6 = true;
            fillIpv6Addresses(frame, ip);
            fillUdp(frame, ip, IPV6_HEADER, IPV6_HEADER + segment, tcp);
            return null;
        }
        if (!tcpHeaderFits(frame, tcp, segment)) {
            return DropReason.MALFORMED;
        }
        if (verifyTcpChecksum && !partialChecksum && !Checksums.tcpIpv6Valid(frame, ip, tcp, segment)) {
            return DropReason.BAD_CHECKSUM;
        }
        ipv6 = true;
        fillIpv6Addresses(frame, ip);
        fill(frame, ip, IPV6_HEADER, IPV6_HEADER + segment, tcp, segment);
        return null;
    }

    private void fillIpv6Addresses(byte[] frame, int ip) {
        srcIp = 0;
        dstIp = 0;
        srcHigh = Ipv6.readLong(frame, ip + 8);
        srcLow = Ipv6.readLong(frame, ip + 16);
        dstHigh = Ipv6.readLong(frame, ip + 24);
        dstLow = Ipv6.readLong(frame, ip + 32);
    }

    /** Why a UDP datagram of {@code segment} bytes (the IP payload) at {@code udp} must be dropped, or null. */
    private DropReason udpProblem(byte[] frame, int udp, int segment, boolean verify, boolean v6, int src, int dst,
                                  int ip) {
        if (segment < UDP_HEADER) {
            return DropReason.MALFORMED;
        }
        int length = readU16(frame, udp + 4);
        int checksum = readU16(frame, udp + 6);
        if (length < UDP_HEADER || length > segment) {
            return DropReason.MALFORMED; // shorter than the packet is allowed (the rest is padding), longer is not
        }
        if (v6 && checksum == 0 && !partialChecksum) {
            return DropReason.MALFORMED;
        }
        if (verify && !partialChecksum && checksum != 0) {
            boolean valid = v6 ? Checksums.udpIpv6Valid(frame, ip, udp, length)
                    : Checksums.udpValid(frame, src, dst, udp, length);
            if (!valid) {
                return DropReason.BAD_CHECKSUM;
            }
        }
        return null;
    }

    private void fillUdp(byte[] frame, int ip, int headerLength, int total, int udpOffset) {
        udp = true;
        ipOffset = ip;
        ipHeaderLength = headerLength;
        ipTotalLength = total;
        tcpOffset = udpOffset;
        tcpLength = readU16(frame, udpOffset + 4);
        payloadLength = tcpLength - UDP_HEADER;
        srcPort = readU16(frame, udpOffset);
        dstPort = readU16(frame, udpOffset + 2);
        seq = 0;
        ack = 0;
        flags = 0;
    }

    /** The IP protocol number: {@link #PROTOCOL_TCP} or {@link #PROTOCOL_UDP}. */
    int protocol() {
        return udp ? PROTOCOL_UDP : PROTOCOL_TCP;
    }

    private static boolean tcpHeaderFits(byte[] frame, int tcp, int segment) {
        if (segment < 20) {
            return false;
        }
        int dataOffset = ((frame[tcp + 12] & 0xFF) >>> 4) * 4;
        return dataOffset >= 20 && dataOffset <= segment;
    }

    private void fill(byte[] frame, int ip, int headerLength, int total, int tcp, int segment) {
        udp = false;
        ipOffset = ip;
        ipHeaderLength = headerLength;
        ipTotalLength = total;
        tcpOffset = tcp;
        tcpLength = segment;
        payloadLength = segment - ((frame[tcp + 12] & 0xFF) >>> 4) * 4;
        srcPort = readU16(frame, tcp);
        dstPort = readU16(frame, tcp + 2);
        seq = readInt(frame, tcp + 4);
        ack = readInt(frame, tcp + 8);
        flags = frame[tcp + 13] & 0x3F;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Returns true for the first segment of a handshake: SYN without ACK or RST. */
    boolean isInitialSyn() {
        return (flags & (SYN | ACK | RST)) == SYN;
    }

    /** Sequence space the segment occupies (RFC 793 SEG.LEN: payload plus SYN and FIN). */
    int sequenceLength() {
        return payloadLength + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }

    /** Returns true if the frame is IPv4 or IPv6 carrying UDP (for counting a datagram that did not parse). */
    static boolean isUdp(byte[] frame, int length) {
        if (length < ETHERNET_HEADER + IPV6_HEADER) {
            return length >= ETHERNET_HEADER + 20 && readU16(frame, 12) == ETHERTYPE_IPV4
                    && (frame[ETHERNET_HEADER + 9] & 0xFF) == PROTOCOL_UDP;
        }
        return switch (readU16(frame, 12)) {
            case ETHERTYPE_IPV4 -> (frame[ETHERNET_HEADER + 9] & 0xFF) == PROTOCOL_UDP;
            case ETHERTYPE_IPV6 -> (frame[ETHERNET_HEADER + 6] & 0xFF) == PROTOCOL_UDP;
            default -> false;
        };
    }

    static int readU16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static void writeU16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    static void writeInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
