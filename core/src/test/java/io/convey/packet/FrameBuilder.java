package io.convey.packet;

import java.nio.ByteBuffer;

/** Builds Ethernet + IPv4 or IPv6 + TCP test frames with correct checksums, or deliberately wrong fields. */
final class FrameBuilder {
    private byte[] src6;
    private byte[] dst6;
    private int extensionHeader = -1;
    private int srcIp;
    private int dstIp;
    private int srcPort;
    private int dstPort;
    private int seq = 1000;
    private int ack;
    private int flags = TcpFrame.SYN;
    private int ttl = 64;
    private int protocol = TcpFrame.PROTOCOL_TCP;
    private int ipId = 0x1234;
    private int fragment = 0x4000;
    private byte[] ipOptions = new byte[0];
    private byte[] payload = new byte[0];
    private int padding;
    private int window = 64240;
    private boolean corruptTcpChecksum;
    private boolean udp;
    private boolean zeroUdpChecksum;
    private int udpLengthDelta;
    private boolean corruptIpChecksum;

    static FrameBuilder tcp(String src, int srcPort, String dst, int dstPort) {
        FrameBuilder b = new FrameBuilder();
        b.srcIp = ip(src);
        b.srcPort = srcPort;
        b.dstIp = ip(dst);
        b.dstPort = dstPort;
        return b;
    }

    /** An IPv4 UDP datagram (its checksum computed unless {@link #zeroChecksum}). */
    static FrameBuilder udp(String src, int srcPort, String dst, int dstPort) {
        FrameBuilder b = tcp(src, srcPort, dst, dstPort);
        b.udp = true;
        b.protocol = TcpFrame.PROTOCOL_UDP;
        return b;
    }

    /** An IPv6 UDP datagram. */
    static FrameBuilder udp6(String src, int srcPort, String dst, int dstPort) {
        FrameBuilder b = tcp6(src, srcPort, dst, dstPort);
        b.udp = true;
        b.protocol = TcpFrame.PROTOCOL_UDP;
        return b;
    }

    /** UDP: a checksum field of 0 ("none" in IPv4). */
    FrameBuilder zeroChecksum() { zeroUdpChecksum = true; return this; }
    /** UDP: a length field this many bytes off the datagram's real length. */
    FrameBuilder udpLengthOff(int delta) { udpLengthDelta = delta; return this; }

    /** An IPv6 frame; {@link #ttl} sets the hop limit, {@link #protocol} the next header. */
    static FrameBuilder tcp6(String src, int srcPort, String dst, int dstPort) {
        FrameBuilder b = new FrameBuilder();
        b.src6 = ip6(src);
        b.srcPort = srcPort;
        b.dst6 = ip6(dst);
        b.dstPort = dstPort;
        return b;
    }

    static byte[] ip6(String address) {
        try {
            return java.net.InetAddress.getByName(address).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    static int ip(String dotted) {
        String[] parts = dotted.split("\\.");
        int v = 0;
        for (String part : parts) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    FrameBuilder flags(int value) { flags = value; return this; }
    FrameBuilder seq(int value) { seq = value; return this; }
    FrameBuilder ack(int value) { ack = value; return this; }
    FrameBuilder ttl(int value) { ttl = value; return this; }
    FrameBuilder protocol(int value) { protocol = value; return this; }
    FrameBuilder fragment(int flagsAndOffset) { fragment = flagsAndOffset; return this; }
    FrameBuilder ipOptions(byte[] value) { ipOptions = value; return this; }
    FrameBuilder payload(String text) { payload = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII); return this; }
    FrameBuilder payload(byte[] value) { payload = value.clone(); return this; }
    FrameBuilder ipId(int value) { ipId = value; return this; }
    FrameBuilder window(int value) { window = value; return this; }
    FrameBuilder padding(int bytes) { padding = bytes; return this; }
    FrameBuilder badTcpChecksum() { corruptTcpChecksum = true; return this; }
    FrameBuilder badIpChecksum() { corruptIpChecksum = true; return this; }
    /** IPv6: an 8-byte extension header of this type (e.g. 0 hop-by-hop, 44 fragment) between the header and TCP. */
    FrameBuilder extensionHeader(int type) { extensionHeader = type; return this; }

    /** The IP packet alone, as it should be sent at layer 3. */
    byte[] ipPacket() {
        byte[] frame = frame();
        byte[] ip = new byte[frame.length - 14 - padding];
        System.arraycopy(frame, 14, ip, 0, ip.length);
        return ip;
    }

    /** The whole Ethernet frame. */
    byte[] frame() {
        return src6 != null ? frame6() : frame4();
    }

    private byte[] frame6() {
        if (udp) {
            return udpFrame(true);
        }
        int extension = extensionHeader < 0 ? 0 : 8;
        int segment = 20 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + extension + segment + padding);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x86DD);
        b.putInt(0x6000_0000).putShort((short) (extension + segment))
                .put((byte) (extension > 0 ? extensionHeader : protocol)).put((byte) ttl).put(src6).put(dst6);
        if (extension > 0) {
            b.put((byte) protocol).put(new byte[7]);
        }
        int tcp = b.position();
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) window).putShort((short) 0).putShort((short) 0)
                .put(payload);
        byte[] f = b.array();
        int tcpSum = Checksums.tcpIpv6(f, 14, tcp, segment) ^ (corruptTcpChecksum ? 0x0101 : 0);
        TcpFrame.writeU16(f, tcp + 16, tcpSum);
        return f;
    }

    private byte[] udpFrame(boolean v6) {
        int datagram = 8 + payload.length;
        int ipHeader = v6 ? 40 : 20 + ipOptions.length;
        ByteBuffer b = ByteBuffer.allocate(14 + ipHeader + datagram + padding);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            b.putInt(0x6000_0000).putShort((short) datagram).put((byte) protocol).put((byte) ttl).put(src6).put(dst6);
        } else {
            b.put((byte) (0x40 | ipHeader / 4)).put((byte) 0).putShort((short) (ipHeader + datagram))
                    .putShort((short) ipId).putShort((short) fragment).put((byte) ttl).put((byte) protocol)
                    .putShort((short) 0).putInt(srcIp).putInt(dstIp).put(ipOptions);
        }
        int udpAt = b.position();
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (datagram + udpLengthDelta))
                .putShort((short) 0).put(payload);
        byte[] f = b.array();
        if (!v6) {
            TcpFrame.writeU16(f, 24, Checksums.ipv4Header(f, 14, ipHeader) ^ (corruptIpChecksum ? 0x0101 : 0));
        }
        if (!zeroUdpChecksum && udpLengthDelta == 0) {
            int sum = v6 ? Checksums.udpIpv6(f, 14, udpAt, datagram) : Checksums.udp(f, srcIp, dstIp, udpAt, datagram);
            TcpFrame.writeU16(f, udpAt + 6, sum ^ (corruptTcpChecksum ? 0x0101 : 0));
        }
        return f;
    }

    private byte[] frame4() {
        if (udp) {
            return udpFrame(false);
        }
        int ihl = 20 + ipOptions.length;
        int total = ihl + 20 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(14 + total + padding);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) (0x40 | ihl / 4)).put((byte) 0).putShort((short) total).putShort((short) ipId)
                .putShort((short) fragment).put((byte) ttl).put((byte) protocol).putShort((short) 0)
                .putInt(srcIp).putInt(dstIp).put(ipOptions);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt(seq).putInt(ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) window).putShort((short) 0).putShort((short) 0)
                .put(payload);
        byte[] f = b.array();
        int ipSum = Checksums.ipv4Header(f, 14, ihl) ^ (corruptIpChecksum ? 0x0101 : 0);
        TcpFrame.writeU16(f, 24, ipSum);
        int tcpSum = Checksums.tcp(f, srcIp, dstIp, 14 + ihl, 20 + payload.length) ^ (corruptTcpChecksum ? 0x0101 : 0);
        TcpFrame.writeU16(f, 14 + ihl + 16, tcpSum);
        return f;
    }
}
