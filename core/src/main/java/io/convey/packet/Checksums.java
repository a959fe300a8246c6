package io.convey.packet;

/**
 * Internet checksums (RFC 1071) of IPv4 headers, TCP and UDP, and their incremental update (RFC 1624, equation 3).
 * The "complete" functions fill in TCP or UDP checksums that a sender left to offload.
 */
public final class Checksums {
    private static final int PROTOCOL_TCP = 6;
    private static final int PROTOCOL_UDP = 17;

    private Checksums() {}

    /** Returns the checksum after one 16-bit word covered by it changed from {@code oldWord} to {@code newWord}. */
    public static int update16(int checksum, int oldWord, int newWord) {
        // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'); avoids the -0 problem of eqn. 2.
        int sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /** Returns the checksum after a 32-bit field (an IPv4 address) covered by it changed. */
    public static int update32(int checksum, int oldValue, int newValue) {
        int partial = update16(checksum, oldValue >>> 16, newValue >>> 16);
        return update16(partial, oldValue & 0xFFFF, newValue & 0xFFFF);
    }

    /**
     * Returns the checksum after a 64-bit field (half an IPv6 address) covered by it changed: RFC 1624 eqn. 3 over
     * its four 16-bit words at once, which one's-complement addition allows.
     */
    public static int update64(int checksum, long oldValue, long newValue) {
        if (oldValue == newValue) {
            return checksum;
        }
        long sum = ~checksum & 0xFFFF;
        for (int shift = 48; shift >= 0; shift -= 16) {
            sum += (~(oldValue >>> shift) & 0xFFFF) + ((newValue >>> shift) & 0xFFFF);
        }
        return ~fold(sum) & 0xFFFF;
    }

    /** Adds big-endian 16-bit words of {@code bytes[offset, offset+length)} to {@code sum}, unfolded. */
    public static long sum(byte[] bytes, int offset, int length, long sum) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a one's-complement sum to 16 bits. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Computes the IPv4 header checksum of the header at {@code ipOffset} (the checksum field counted as zero). */
    public static int ipv4Header(byte[] frame, int ipOffset, int headerLength) {
        long sum = sum(frame, ipOffset, headerLength, 0);
        sum -= readU16(frame, ipOffset + 10);
        return ~fold(sum) & 0xFFFF;
    }

    /** Computes the TCP checksum (with the IPv4 pseudo-header) of the segment at {@code tcpOffset}, the field counted as zero. */
    public static int tcp(byte[] frame, int srcIp, int dstIp, int tcpOffset, int tcpLength) {
        long sum = pseudoHeader(srcIp, dstIp, tcpLength);
        sum = sum(frame, tcpOffset, tcpLength, sum);
        sum -= readU16(frame, tcpOffset + 16);
        return ~fold(sum) & 0xFFFF;
    }

    /** Returns true if the TCP segment's checksum field is correct. */
    public static boolean tcpValid(byte[] frame, int srcIp, int dstIp, int tcpOffset, int tcpLength) {
        long sum = sum(frame, tcpOffset, tcpLength, pseudoHeader(srcIp, dstIp, tcpLength));
        return fold(sum) == 0xFFFF;
    }

    /** Returns true if the IPv4 header's checksum field is correct. */
    public static boolean ipv4HeaderValid(byte[] frame, int ipOffset, int headerLength) {
        return fold(sum(frame, ipOffset, headerLength, 0)) == 0xFFFF;
    }

    /**
     * Computes the TCP checksum (with the IPv6 pseudo-header of RFC 8200 section 8.1, the addresses read from the
     * header at {@code ipOffset}) of the segment at {@code tcpOffset}, the field counted as zero.
     */
    public static int tcpIpv6(byte[] frame, int ipOffset, int tcpOffset, int tcpLength) {
        long sum = sum(frame, ipOffset + 8, 32, PROTOCOL_TCP + tcpLength);
        sum = sum(frame, tcpOffset, tcpLength, sum);
        sum -= readU16(frame, tcpOffset + 16);
        return ~fold(sum) & 0xFFFF;
    }

    /** Returns true if the TCP segment's checksum field is correct, for the IPv6 header at {@code ipOffset}. */
    public static boolean tcpIpv6Valid(byte[] frame, int ipOffset, int tcpOffset, int tcpLength) {
        long sum = sum(frame, ipOffset + 8, 32, PROTOCOL_TCP + tcpLength);
        return fold(sum(frame, tcpOffset, tcpLength, sum)) == 0xFFFF;
    }

    /**
     * Computes the UDP checksum (RFC 768, with the IPv4 pseudo-header) of the datagram at {@code udpOffset}, the
     * field counted as zero; a sum of zero is sent as 0xFFFF, since a zero field means "no checksum" in IPv4.
     */
    public static int udp(byte[] frame, int srcIp, int dstIp, int udpOffset, int udpLength) {
        long sum = pseudoHeader(srcIp, dstIp, udpLength, PROTOCOL_UDP);
        sum = sum(frame, udpOffset, udpLength, sum);
        sum -= readU16(frame, udpOffset + 6);
        return nonZero(~fold(sum) & 0xFFFF);
    }

    /** Returns true if the IPv4 UDP datagram's checksum field is correct (a zero field, no checksum, is not). */
    public static boolean udpValid(byte[] frame, int srcIp, int dstIp, int udpOffset, int udpLength) {
        long sum = sum(frame, udpOffset, udpLength, pseudoHeader(srcIp, dstIp, udpLength, PROTOCOL_UDP));
        return fold(sum) == 0xFFFF;
    }

    /** The UDP checksum of a datagram in the IPv6 packet at {@code ipOffset} (RFC 8200 section 8.1); never 0. */
    public static int udpIpv6(byte[] frame, int ipOffset, int udpOffset, int udpLength) {
        long sum = sum(frame, ipOffset + 8, 32, PROTOCOL_UDP + udpLength);
        sum = sum(frame, udpOffset, udpLength, sum);
        sum -= readU16(frame, udpOffset + 6);
        return nonZero(~fold(sum) & 0xFFFF);
    }

    /** Returns true if an IPv6 UDP datagram's checksum field is correct. */
    public static boolean udpIpv6Valid(byte[] frame, int ipOffset, int udpOffset, int udpLength) {
        long sum = sum(frame, ipOffset + 8, 32, PROTOCOL_UDP + udpLength);
        return fold(sum(frame, udpOffset, udpLength, sum)) == 0xFFFF;
    }

    /**
     * A computed UDP checksum as it is sent: 0 becomes 0xFFFF (RFC 768; RFC 8200 section 8.1 for IPv6), the same
     * value in one's-complement arithmetic, because a zero field means that the sender computed none.
     */
    public static int nonZero(int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * Writes the full TCP checksum of an Ethernet frame's segment, for a frame whose sender left the checksum to
     * offload (the kernel's CHECKSUM_PARTIAL, seen on veth and loopback: the field holds only the pseudo-header's
     * sum). The rewrite then updates a real checksum. A frame that is not TCP over IPv4 or IPv6 (without extension
     * headers), or whose lengths do not fit, is left as it is for the parser to reject.
     */
    public static void completeTcp(byte[] frame, int length) {
        complete(frame, length, false);
    }

    /**
     * Like {@link #completeTcp}, for a capture that cannot tell which frames are partial (libpcap): completes the
     * checksum if the field holds exactly the folded pseudo-header sum, which is what Linux leaves for offload
     * ({@code ~tcp_v4_check(len, saddr, daddr, 0)}). A complete checksum that happens to equal it is recomputed to
     * the same value, so the check is safe; it costs a few additions per frame, not a sum over the segment.
     */
    public static void completeTcpIfPartial(byte[] frame, int length) {
        complete(frame, length, true);
    }

    private static void complete(byte[] frame, int length, boolean onlyIfPartial) {
        int ip = TcpFrame.ETHERNET_HEADER;
        if (length < ip + 40) {
            return;
        }
        int type = readU16(frame, 12);
        if (type == TcpFrame.ETHERTYPE_IPV4 || type == TcpFrame.ETHERTYPE_IPV6) {
            complete(frame, ip, length - ip, onlyIfPartial);
        }
    }

    /**
     * Writes the full TCP checksum of the IPv4 or IPv6 packet at {@code ipOffset} (at most {@code length} bytes
     * long), whose checksum was left partial: for a packet that leaves where no device completes it.
     */
    public static void completeTcpAt(byte[] packet, int ipOffset, int length) {
        complete(packet, ipOffset, length, false);
    }

    private static void complete(byte[] frame, int ip, int length, boolean onlyIfPartial) {
        int version = (frame[ip] & 0xF0) >>> 4;
        if (version == 4 && (frame[ip + 9] & 0xFF) == PROTOCOL_UDP) {
            completeUdp(frame, ip, length, onlyIfPartial);
        } else if (version == 6 && (frame[ip + 6] & 0xFF) == PROTOCOL_UDP) {
            completeUdpIpv6(frame, ip, length, onlyIfPartial);
        } else if (version == 4 && (frame[ip + 9] & 0xFF) == PROTOCOL_TCP) {
            int headerLength = (frame[ip] & 0x0F) * 4;
            int total = readU16(frame, ip + 2);
            int tcpLength = total - headerLength;
            if (headerLength < 20 || tcpLength < 20 || total > length) {
                return;
            }
            int src = readInt(frame, ip + 12);
            int dst = readInt(frame, ip + 16);
            int field = ip + headerLength + 16;
            if (!onlyIfPartial || readU16(frame, field) == fold(pseudoHeader(src, dst, tcpLength))) {
                write16(frame, field, tcp(frame, src, dst, ip + headerLength, tcpLength));
            }
        } else if (version == 6 && (frame[ip + 6] & 0xFF) == PROTOCOL_TCP) {
            int tcpLength = readU16(frame, ip + 4);
            int tcpOffset = ip + TcpFrame.IPV6_HEADER;
            if (tcpLength < 20 || TcpFrame.IPV6_HEADER + tcpLength > length) {
                return;
            }
            int field = tcpOffset + 16;
            if (!onlyIfPartial || readU16(frame, field) == fold(sum(frame, ip + 8, 32, PROTOCOL_TCP + tcpLength))) {
                write16(frame, field, tcpIpv6(frame, ip, tcpOffset, tcpLength));
            }
        }
    }

    /**
     * UDP's part of {@link #complete}: the same for a datagram whose checksum was left to offload (a local UDP
     * sender on veth); the datagram's own length field says how much the checksum covers. IPv4 fragments and lengths
     * that do not fit are left for the parser.
     */
    private static void completeUdp(byte[] frame, int ip, int length, boolean onlyIfPartial) {
        int headerLength = (frame[ip] & 0x0F) * 4;
        int total = readU16(frame, ip + 2);
        int udp = ip + headerLength;
        if (headerLength < 20 || total > length || total - headerLength < 8 || (readU16(frame, ip + 6) & 0x3FFF) != 0) {
            return;
        }
        int udpLength = readU16(frame, udp + 4);
        if (udpLength < 8 || udpLength > total - headerLength) {
            return;
        }
        int src = readInt(frame, ip + 12);
        int dst = readInt(frame, ip + 16);
        int field = udp + 6;
        if (!onlyIfPartial || readU16(frame, field) == fold(pseudoHeader(src, dst, udpLength, PROTOCOL_UDP))) {
            write16(frame, field, udp(frame, src, dst, udp, udpLength));
        }
    }

    private static void completeUdpIpv6(byte[] frame, int ip, int length, boolean onlyIfPartial) {
        int payload = readU16(frame, ip + 4);
        int udp = ip + TcpFrame.IPV6_HEADER;
        if (payload < 8 || TcpFrame.IPV6_HEADER + payload > length) {
            return;
        }
        int udpLength = readU16(frame, udp + 4);
        if (udpLength < 8 || udpLength > payload) {
            return;
        }
        int field = udp + 6;
        if (!onlyIfPartial || readU16(frame, field) == fold(sum(frame, ip + 8, 32, PROTOCOL_UDP + udpLength))) {
            write16(frame, field, udpIpv6(frame, ip, udp, udpLength));
        }
    }

    /**
     * Returns a partial checksum field (the pseudo-header's sum, not complemented, as Linux leaves it for offload)
     * after a 32-bit address covered by the pseudo-header changed: the same one's-complement arithmetic as
     * {@link #update32} on the complemented value. Ports and other TCP header words are not in it: the device sums
     * them when it completes the checksum.
     */
    public static int updatePartial32(int field, int oldValue, int newValue) {
        return ~update32(~field & 0xFFFF, oldValue, newValue) & 0xFFFF;
    }

    /** {@link #updatePartial32} for half an IPv6 address. */
    public static int updatePartial64(int field, long oldValue, long newValue) {
        return ~update64(~field & 0xFFFF, oldValue, newValue) & 0xFFFF;
    }

    /**
     * Turns the complete TCP checksum of the IPv4 or IPv6 packet at {@code ip} into a partial one: the field then
     * holds the pseudo-header's sum, as a super-frame sent for segmentation needs ({@code tcp_v4_send_check}).
     */
    public static void makePartial(byte[] packet, int ip) {
        if ((packet[ip] & 0xF0) == 0x40) {
            int headerLength = (packet[ip] & 0x0F) * 4;
            int tcpLength = readU16(packet, ip + 2) - headerLength;
            write16(packet, ip + headerLength + 16,
                    fold(pseudoHeader(readInt(packet, ip + 12), readInt(packet, ip + 16), tcpLength)));
        } else {
            int tcpLength = readU16(packet, ip + 4);
            write16(packet, ip + TcpFrame.IPV6_HEADER + 16, fold(sum(packet, ip + 8, 32, PROTOCOL_TCP + tcpLength)));
        }
    }

    private static int readInt(byte[] b, int at) {
        return (readU16(b, at) << 16) | readU16(b, at + 2);
    }

    private static void write16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    private static long pseudoHeader(int srcIp, int dstIp, int tcpLength) {
        return pseudoHeader(srcIp, dstIp, tcpLength, PROTOCOL_TCP);
    }

    private static long pseudoHeader(int srcIp, int dstIp, int length, int protocol) {
        return (long) (srcIp >>> 16) + (srcIp & 0xFFFF) + (dstIp >>> 16) + (dstIp & 0xFFFF) + protocol + length;
    }

    static int readU16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
