package io.convey.packet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The sending half of a {@link RingPacketIo}: a {@code PACKET_TX_RING} (TPACKET_V2) on its bound packet socket.
 * Frames are copied into the next free slot and marked for sending; one {@code send} system call then hands every
 * marked slot to the device (through its qdisc, or within the call with PACKET_QDISC_BYPASS). A slot stays taken
 * until the kernel has sent its frame (with veth, until the receiver consumed it). A slot the kernel found malformed is
 * counted when it comes round again. On a socket with {@code PACKET_VNET_HDR} each frame is preceded by its
 * {@code virtio_net_hdr} ({@link FrameOffload#write}), which the kernel reads to segment a super-frame and complete a
 * partial checksum. Single-threaded: the worker that owns the socket.
 */
final class TxRing {
    /** TX slot: a tpacket2_hdr, then the frame at TPACKET2_HDRLEN - sizeof(struct sockaddr_ll). */
    private static final long DATA = 52 - 20;
    private static final long TP_LEN = 4;
    private static final int TP_STATUS_AVAILABLE = 0;
    private static final int TP_STATUS_SEND_REQUEST = 1;
    private static final int TP_STATUS_WRONG_FORMAT = 4;
    /** Frames queued before the kernel is asked to send them, whatever the batch. */
    private static final int MAX_QUEUED = 64;
    private static final VarHandle STATUS = JAVA_INT.varHandle();

    private final MemorySegment ring;
    private final int slotBytes;
    private final int blockBytes;
    private final int slotsPerBlock;
    private final int slots;
    private final int fd;
    private final MemorySegment callState;
    private final int header;
    private int next;
    private int queued;
    private long rejected;

    TxRing(MemorySegment ring, int slotBytes, int blockBytes, int fd, MemorySegment callState, boolean vnet) {
        this.header = vnet ? FrameOffload.HEADER_BYTES : 0;
        this.ring = ring;
        this.slotBytes = slotBytes;
        this.blockBytes = blockBytes;
        this.slotsPerBlock = blockBytes / slotBytes;
        this.slots = (int) (ring.byteSize() / blockBytes) * slotsPerBlock;
        this.fd = fd;
        this.callState = callState;
    }

    /**
     * Queues a frame; the kernel sends what is queued on {@link #flush} (the worker's batch end) or when
     * {@link #batchLimit} wait. If every slot still holds a frame being sent, even after a flush, it is refused.
     *
     * @return false if the frame does not fit a slot or no slot is free
     */
    boolean queue(byte[] frame, int offset, int length, FrameOffload offload) {
        if (header + length > slotBytes - DATA) {
            return false;
        }
        long slot = RingPacketIo.slotOffset(next, slotsPerBlock, slotBytes, blockBytes);
        int status = (int) STATUS.getAcquire(ring, slot);
        if (status != TP_STATUS_AVAILABLE && status != TP_STATUS_WRONG_FORMAT) {
            flush();
            status = (int) STATUS.getAcquire(ring, slot);
            if (status != TP_STATUS_AVAILABLE && status != TP_STATUS_WRONG_FORMAT) {
                // every slot still holds a frame in flight; a send() on this socket would only flush the ring
                return false;
            }
        }
        if (status == TP_STATUS_WRONG_FORMAT) {
            rejected++;
        }
        if (header > 0) {
            offload.write(ring, slot + DATA, offload.isSuperFrame() ? headerEnd(frame, offset) : 0);
        }
        MemorySegment.copy(frame, offset, ring, JAVA_BYTE, slot + DATA + header, length);
        ring.set(JAVA_INT, slot + TP_LEN, header + length);
        STATUS.setRelease(ring, slot, TP_STATUS_SEND_REQUEST);
        next = next + 1 == slots ? 0 : next + 1;
        if (++queued >= batchLimit()) {
            flush();
        }
        return true;
    }

    /** Asks the kernel to send the queued frames. */
    void flush() {
        if (queued == 0) {
            return;
        }
        queued = 0;
        try {
            long ignored = (long) Libc.SENDTO.invokeExact(callState, fd, MemorySegment.NULL, 0L, 0, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("send: " + t, t);
        }
    }

    /** How many frames are queued at most before they are sent without a flush: a batch, or the whole ring. */
    int batchLimit() {
        return Math.min(MAX_QUEUED, slots);
    }

    /** Frames the kernel refused since the last call. */
    long takeRejected() {
        long n = rejected;
        rejected = 0;
        return n;
    }

    long byteSize() {
        return ring.byteSize();
    }

    /**
     * Where the TCP header of the Ethernet frame at {@code offset} ends, counted from the frame's start: the
     * vnet header's {@code hdr_len}, the bytes the kernel copies into each segment. Used for super-frames only,
     * which the forwarder has parsed as IPv4 or IPv6 TCP.
     */
    private static int headerEnd(byte[] frame, int offset) {
        int ip = offset + TcpFrame.ETHERNET_HEADER;
        int ipHeader = (frame[ip] & 0xF0) == 0x40 ? (frame[ip] & 0x0F) * 4 : TcpFrame.IPV6_HEADER;
        int tcp = ip + ipHeader;
        return tcp + ((frame[tcp + 12] & 0xFF) >>> 4) * 4 - offset;
    }
}
