package io.convey.packet;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures with libpcap through pcap4j (immediate mode, a large kernel buffer, incoming direction only,
 * non-blocking because {@code pcap_next} ignores the timeout on TPACKET_V3) and sends IP packets through a
 * {@link RawIpSocket}, whole frames through the capture handle ({@code pcap_sendpacket}). libpcap gives no vnet
 * header: a partial checksum is recognised by its value and completed, and a super-frame (larger than the MTU) is
 * segmented by the worker before it is sent ({@link #sendsOffloads} is false).
 * The handle and the socket live in the network namespace of the thread that opened them.
 */
final class PcapPacketIo implements PacketIo {
    private static final Logger log = LoggerFactory.getLogger(PcapPacketIo.class);
    /** A super-frame's IP packet (up to 65,535 bytes) behind an Ethernet header and a VLAN tag. */
    private static final int SNAPLEN = 0xFFFF + 18;
    private static final int BUFFER_BYTES = 32 << 20;

    /**
     * Idle parking stops at 1 ms: an idle worker wakes about a thousand times a second instead of tens of thousands
     * (each empty poll builds a JNA header in pcap4j); the cost is up to 1 ms on the first segment after a quiet spell.
     */
    private static final long MAX_AWAIT_NANOS = 1_000_000;

    private final PcapHandle handle;
    private final RawIpSocket socket;
    private final String interfaceName;
    private final int mtu;
    private final FrameOffload plain = new FrameOffload();
    private long dropsSeen;
    private boolean statisticsFailureLogged;

    private PcapPacketIo(PcapHandle handle, RawIpSocket socket, String interfaceName, int mtu) {
        this.handle = handle;
        this.socket = socket;
        this.interfaceName = interfaceName;
        this.mtu = mtu;
    }

    static PcapPacketIo open(String interfaceName, String filter) throws IOException {
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(interfaceName)
                    .snaplen(SNAPLEN)
                    .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                    .timeoutMillis(1)
                    .bufferSize(BUFFER_BYTES)
                    .immediateMode(true)
                    .build();
        } catch (PcapNativeException e) {
            throw new IOException("interface: " + interfaceName + " (expected: a capturable interface; " + e.getMessage() + ")", e);
        }
        try {
            // Our own raw-socket sends would otherwise come back as outgoing frames.
            handle.setDirection(PcapHandle.PcapDirection.IN);
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            return new PcapPacketIo(handle, RawIpSocket.open(), interfaceName, RingPacketIo.mtuOf(interfaceName));
        } catch (PcapNativeException | NotOpenException | IOException | RuntimeException e) {
            handle.close();
            throw e instanceof IOException io ? io : new IOException("capture setup on " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int receive(int max, FrameHandler handler) throws IOException {
        // pcap_next per frame rather than pcap4j's dispatch(), which logs at INFO on every call.
        try {
            for (int n = 0; n < max; n++) {
                byte[] frame = handle.getNextRawPacket();
                if (frame == null) {
                    return n;
                }
                // libpcap does not say which frames carry a checksum left to offload (veth peers on this host)
                Checksums.completeTcpIfPartial(frame, frame.length);
                handler.frame(frame, frame.length, plain.clear());
            }
            return max;
        } catch (NotOpenException e) {
            throw new IOException("capture: " + e.getMessage(), e);
        }
    }

    @Override
    public void await(long nanos) {
        LockSupport.parkNanos(nanos); // pcap_next is non-blocking here, so there is no descriptor to wait on
    }

    @Override
    public long longestAwaitNanos() {
        return MAX_AWAIT_NANOS;
    }

    @Override
    public Losses takeLosses() {
        try {
            long drops = handle.getStats().getNumPacketsDropped();
            long lost = drops - dropsSeen;
            dropsSeen = drops;
            return new Losses(Math.max(0, lost), 0, 0);
        } catch (PcapNativeException | NotOpenException | UnsupportedOperationException e) {
            // the interval's losses are unknown: counted as a failed read (shown in the status), not as zero
            if (!statisticsFailureLogged) {
                statisticsFailureLogged = true;
                log.warn("capture statistics unavailable: interface={} error={} (counted as "
                        + "capture_statistics_failed)", interfaceName, e.toString());
            }
            return new Losses(0, 0, 0, 1);
        }
    }

    @Override
    public boolean send(byte[] packet, int offset, int length, int destinationIp) {
        return socket.send(packet, offset, length, destinationIp);
    }

    @Override
    public boolean sendIpv6(byte[] packet, int offset, int length) {
        return socket.sendIpv6(packet, offset, length);
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** No: libpcap sends frames as they are, without a vnet header. */
    @Override
    public boolean sendsOffloads() {
        return false;
    }

    /** No: pcap4j copies each frame through JNA; the raw socket is cheaper. */
    @Override
    public boolean prefersFrames() {
        return false;
    }

    @Override
    public boolean sendFrame(byte[] frame, int offset, int length, FrameOffload offload) {
        try {
            if (offset == 0) {
                handle.sendPacket(frame, length);
            } else {
                handle.sendPacket(Arrays.copyOfRange(frame, offset, offset + length));
            }
            return true;
        } catch (PcapNativeException | NotOpenException e) {
            return false;
        }
    }

    @Override
    public void filter(String expression) throws IOException {
        try {
            handle.setFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("filter: " + expression + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } finally {
            handle.close();
        }
    }
}
