package io.convey.packet;

import static io.convey.packet.TcpFrame.readU16;
import static io.convey.packet.TcpFrame.writeInt;
import static io.convey.packet.TcpFrame.writeU16;

/**
 * Pure rewrites of a client frame for the direct-server-return methods that do not translate addresses (DSR nat
 * is {@link NatRewriter#translate} with the client's source kept): a new destination MAC (l2), or an IP-in-IP
 * header in front of the unchanged packet (ipip).
 */
final class DsrRewriter {
    static final int PROTOCOL_IPIP = 4;
    static final int OUTER_HEADER = 20;
    /** Outer TTL: Linux's default for locally generated packets. */
    static final int OUTER_TTL = 64;

    private DsrRewriter() {}

    /**
     * Readdresses the Ethernet frame to the server's MAC, from the MAC the client sent it to (ours). The IP packet
     * is left as it is, TTL included, as IPVS direct routing does: the frame stays on the segment it came from.
     */
    static void readdress(byte[] f, long serverMac) {
        System.arraycopy(f, 0, f, 6, 6);
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (serverMac >>> (40 - 8 * i));
        }
    }

    /**
     * Writes into {@code out} an outer IPv4 header to {@code serverIp} followed by the client's IP packet unchanged
     * (RFC 2003 section 3.1). TOS and DF are copied from the inner header, the identification too; the outer source
     * is 0.0.0.0, which the raw socket's kernel replaces with the balancer's address on the route to the server
     * (and then recomputes the header checksum).
     *
     * @return the length written, or -1 if the result would exceed 65,535 bytes
     */
    static int encapsulate(byte[] f, TcpFrame p, int serverIp, byte[] out) {
        return encapsulate(f, p.ipOffset, p.ipTotalLength, serverIp, out);
    }

    /** {@link #encapsulate(byte[], TcpFrame, int, byte[])} for the IPv4 packet at {@code f[ip, ip + length)}. */
    static int encapsulate(byte[] f, int ip, int length, int serverIp, byte[] out) {
        int total = length + OUTER_HEADER;
        if (total > 0xFFFF || total > out.length) {
            return -1;
        }
        out[0] = 0x45;
        out[1] = f[ip + 1];
        writeU16(out, 2, total);
        writeU16(out, 4, readU16(f, ip + 4));
        writeU16(out, 6, readU16(f, ip + 6) & 0x4000);
        out[8] = (byte) OUTER_TTL;
        out[9] = (byte) PROTOCOL_IPIP;
        writeU16(out, 10, 0);
        writeInt(out, 12, 0);
        writeInt(out, 16, serverIp);
        writeU16(out, 10, Checksums.ipv4Header(out, 0, OUTER_HEADER));
        System.arraycopy(f, ip, out, OUTER_HEADER, length);
        return total;
    }
}
