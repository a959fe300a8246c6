package io.convey.packet;

/**
 * A reusable view of one Ethernet + IPv4 + TCP frame held in a byte array: {@link #parse} validates the headers and
 * fills the fields, without allocating. Not thread-safe; each worker owns one.
 */
final class TcpFrame {
    static final int ETHERNET_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int PROTOCOL_TCP = 6;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    int ipOffset;
    int ipHeaderLength;
    /** IP total length: the packet to send; Ethernet padding after it is ignored. */
    int ipTotalLength;
    int tcpOffset;
    int tcpLength;
    int payloadLength;
    int srcIp;
    int dstIp;
    int srcPort;
    int dstPort;
    int flags;
    int seq;
    int ack;

    /**
     * Validates the frame and fills the fields.
     *
     * @return null if the frame is a well-formed, unfragmented IPv4 TCP segment, else the reason to drop it
     */
    DropReason parse(byte[] frame, int length, boolean verifyTcpChecksum) {
        if (length < ETHERNET_HEADER) {
            return DropReason.MALFORMED;
        }
        if (readU16(frame, 12) != ETHERTYPE_IPV4) {
            return DropReason.NOT_TCP;
        }
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
        if ((frame[ip + 9] & 0xFF) != PROTOCOL_TCP) {
            return DropReason.NOT_TCP;
        }
        int tcp = ip + ihl;
        int segment = total - ihl;
        if (segment < 20) {
            return DropReason.MALFORMED;
        }
        int dataOffset = ((frame[tcp + 12] & 0xFF) >>> 4) * 4;
        if (dataOffset < 20 || dataOffset > segment) {
            return DropReason.MALFORMED;
        }
        srcIp = readInt(frame, ip + 12);
        dstIp = readInt(frame, ip + 16);
        if (verifyTcpChecksum && !Checksums.tcpValid(frame, srcIp, dstIp, tcp, segment)) {
            return DropReason.BAD_CHECKSUM;
        }
        ipOffset = ip;
        ipHeaderLength = ihl;
        ipTotalLength = total;
        tcpOffset = tcp;
        tcpLength = segment;
        payloadLength = segment - dataOffset;
        srcPort = readU16(frame, tcp);
        dstPort = readU16(frame, tcp + 2);
        seq = readInt(frame, tcp + 4);
        ack = readInt(frame, tcp + 8);
        flags = frame[tcp + 13] & 0x3F;
        return null;
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
