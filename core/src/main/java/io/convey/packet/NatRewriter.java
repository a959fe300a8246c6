package io.convey.packet;

import static io.convey.packet.TcpFrame.readU16;
import static io.convey.packet.TcpFrame.writeInt;
import static io.convey.packet.TcpFrame.writeU16;

/**
 * Pure in-place rewrites of a parsed frame: address/port translation of TCP segments and UDP datagrams with
 * incremental checksums (RFC 1624; a partial checksum, which holds only the pseudo-header's sum, follows the
 * addresses alone; an IPv4 UDP checksum of zero, "none", stays zero) and reset synthesis (RFC 793, section 3.4, "Reset Generation"), for IPv4 and IPv6. IP options are kept as they are.
 */
final class NatRewriter {
    private NatRewriter() {}

    /**
     * Rewrites source and destination address and port, decrements the TTL and patches both checksums.
     *
     * @return false if the TTL would reach zero (the frame is left unchanged)
     */
    static boolean translate(byte[] f, TcpFrame p, int srcIp, int srcPort, int dstIp, int dstPort) {
        int ip = p.ipOffset;
        int tcp = p.tcpOffset;
        int ttlProtocol = readU16(f, ip + 8);
        if ((ttlProtocol >>> 8) <= 1) {
            return false;
        }
        int newTtlProtocol = ttlProtocol - 0x100;
        int ipSum = readU16(f, ip + 10);
        ipSum = Checksums.update16(ipSum, ttlProtocol, newTtlProtocol);
        ipSum = Checksums.update32(ipSum, p.srcIp, srcIp);
        ipSum = Checksums.update32(ipSum, p.dstIp, dstIp);
        writeU16(f, ip + 8, newTtlProtocol);
        writeU16(f, ip + 10, ipSum);
        writeInt(f, ip + 12, srcIp);
        writeInt(f, ip + 16, dstIp);

        // The pseudo-header makes the addresses part of the TCP (and UDP) checksum too.
        int field = checksumField(p);
        int tcpSum = readU16(f, field);
        boolean none = p.udp && !p.partialChecksum && tcpSum == 0; // an IPv4 datagram sent without a checksum
        if (p.partialChecksum) {
            // only the pseudo-header's sum is there; the device sums the ports with the rest of the segment
            tcpSum = Checksums.updatePartial32(tcpSum, p.srcIp, srcIp);
            tcpSum = Checksums.updatePartial32(tcpSum, p.dstIp, dstIp);
        } else {
            tcpSum = Checksums.update32(tcpSum, p.srcIp, srcIp);
            tcpSum = Checksums.update32(tcpSum, p.dstIp, dstIp);
            tcpSum = Checksums.update16(tcpSum, p.srcPort, srcPort);
            tcpSum = Checksums.update16(tcpSum, p.dstPort, dstPort);
        }
        writeU16(f, tcp, srcPort);
        writeU16(f, tcp + 2, dstPort);
        if (!none) { // stays zero: the receiver then checks nothing, as the sender asked
            writeU16(f, field, finished(p, tcpSum));
        }
        return true;
    }

    /** Where the transport checksum is: offset 16 of a TCP header, 6 of a UDP header. */
    private static int checksumField(TcpFrame p) {
        return p.tcpOffset + (p.udp ? 6 : 16);
    }

    /** A complete UDP checksum that came out as 0 is sent as 0xFFFF (RFC 768): 0 would mean "none". */
    private static int finished(TcpFrame p, int checksum) {
        return p.udp && !p.partialChecksum ? Checksums.nonZero(checksum) : checksum;
    }

    /**
     * Rewrites an IPv6 segment's source and destination address and port and decrements the hop limit. IPv6 has no
     * header checksum; the TCP checksum covers the addresses through the pseudo-header and is patched over the
     * words that changed.
     *
     * @return false if the hop limit would reach zero (the frame is left unchanged)
     */
    static boolean translateIpv6(byte[] f, TcpFrame p, long srcHigh, long srcLow, int srcPort, long dstHigh,
                                 long dstLow, int dstPort) {
        int ip = p.ipOffset;
        int tcp = p.tcpOffset;
        int hopLimit = f[ip + 7] & 0xFF;
        if (hopLimit <= 1) {
            return false;
        }
        f[ip + 7] = (byte) (hopLimit - 1);
        int field = checksumField(p);
        int tcpSum = readU16(f, field);
        if (p.partialChecksum) {
            // only the pseudo-header's sum is there: addresses change it, ports are summed by the device
            tcpSum = Checksums.updatePartial64(tcpSum, p.srcHigh, srcHigh);
            tcpSum = Checksums.updatePartial64(tcpSum, p.srcLow, srcLow);
            tcpSum = Checksums.updatePartial64(tcpSum, p.dstHigh, dstHigh);
            tcpSum = Checksums.updatePartial64(tcpSum, p.dstLow, dstLow);
        } else {
            tcpSum = Checksums.update64(tcpSum, p.srcHigh, srcHigh);
            tcpSum = Checksums.update64(tcpSum, p.srcLow, srcLow);
            tcpSum = Checksums.update64(tcpSum, p.dstHigh, dstHigh);
            tcpSum = Checksums.update64(tcpSum, p.dstLow, dstLow);
            tcpSum = Checksums.update16(tcpSum, p.srcPort, srcPort);
            tcpSum = Checksums.update16(tcpSum, p.dstPort, dstPort);
        }
        Ipv6.writeLong(f, ip + 8, srcHigh);
        Ipv6.writeLong(f, ip + 16, srcLow);
        Ipv6.writeLong(f, ip + 24, dstHigh);
        Ipv6.writeLong(f, ip + 32, dstLow);
        writeU16(f, tcp, srcPort);
        writeU16(f, tcp + 2, dstPort);
        writeU16(f, field, finished(p, tcpSum)); // IPv6 UDP always has a checksum (RFC 8200 section 8.1)
        return true;
    }

    /**
     * Replaces the segment {@code p} (sent by the client) with the reset the client should get from
     * {@code vip:vipPort}, written at {@code p.ipOffset}. Per RFC 793: if the segment carries an ACK, the reset has
     * SEQ = SEG.ACK and no ACK; otherwise SEQ = 0 and RST+ACK with ACK = SEG.SEQ + SEG.LEN.
     *
     * @return the length of the IP packet written
     */
    static int resetInReplyTo(byte[] f, TcpFrame p, int vip, int vipPort) {
        boolean hasAck = p.has(TcpFrame.ACK);
        int seq = hasAck ? p.ack : 0;
        int ack = hasAck ? 0 : p.seq + p.sequenceLength();
        int flags = hasAck ? TcpFrame.RST : TcpFrame.RST | TcpFrame.ACK;
        if (p.ipv6) {
            return writeResetIpv6(f, p.ipOffset, p.dstHigh, p.dstLow, vipPort, p.srcHigh, p.srcLow, p.srcPort, seq,
                    ack, flags);
        }
        return writeReset(f, p.ipOffset, vip, vipPort, p.srcIp, p.srcPort, seq, ack, flags);
    }

    /** Writes a 40-byte IPv4+TCP reset at {@code ipOffset} with full checksums and returns its length. */
    static int writeReset(byte[] f, int ipOffset, int srcIp, int srcPort, int dstIp, int dstPort,
                          int seq, int ack, int flags) {
        int ip = ipOffset;
        f[ip] = 0x45;
        f[ip + 1] = 0;
        writeU16(f, ip + 2, 40);
        writeU16(f, ip + 4, 0);
        writeU16(f, ip + 6, 0x4000); // DF
        f[ip + 8] = 64;
        f[ip + 9] = TcpFrame.PROTOCOL_TCP;
        writeU16(f, ip + 10, 0);
        writeInt(f, ip + 12, srcIp);
        writeInt(f, ip + 16, dstIp);
        writeU16(f, ip + 10, Checksums.ipv4Header(f, ip, 20));
        int tcp = ip + 20;
        writeTcpReset(f, tcp, srcPort, dstPort, seq, ack, flags);
        writeU16(f, tcp + 16, Checksums.tcp(f, srcIp, dstIp, tcp, 20));
        return 40;
    }

    /** Writes a 60-byte IPv6+TCP reset at {@code ipOffset} with its TCP checksum and returns its length. */
    static int writeResetIpv6(byte[] f, int ipOffset, long srcHigh, long srcLow, int srcPort, long dstHigh,
                              long dstLow, int dstPort, int seq, int ack, int flags) {
        int ip = ipOffset;
        writeInt(f, ip, 0x6000_0000); // version 6, traffic class and flow label 0
        writeU16(f, ip + 4, 20);
        f[ip + 6] = TcpFrame.PROTOCOL_TCP;
        f[ip + 7] = 64;
        Ipv6.writeLong(f, ip + 8, srcHigh);
        Ipv6.writeLong(f, ip + 16, srcLow);
        Ipv6.writeLong(f, ip + 24, dstHigh);
        Ipv6.writeLong(f, ip + 32, dstLow);
        int tcp = ip + TcpFrame.IPV6_HEADER;
        writeTcpReset(f, tcp, srcPort, dstPort, seq, ack, flags);
        writeU16(f, tcp + 16, Checksums.tcpIpv6(f, ip, tcp, 20));
        return TcpFrame.IPV6_HEADER + 20;
    }

    private static void writeTcpReset(byte[] f, int tcp, int srcPort, int dstPort, int seq, int ack, int flags) {
        writeU16(f, tcp, srcPort);
        writeU16(f, tcp + 2, dstPort);
        writeInt(f, tcp + 4, seq);
        writeInt(f, tcp + 8, ack);
        f[tcp + 12] = 0x50;
        f[tcp + 13] = (byte) flags;
        writeU16(f, tcp + 14, 0);
        writeU16(f, tcp + 16, 0);
        writeU16(f, tcp + 18, 0);
    }
}
