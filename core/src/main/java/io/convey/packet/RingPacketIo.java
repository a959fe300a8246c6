package io.convey.packet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Captures through a {@code PACKET_MMAP} receive ring (TPACKET_V2, as libpcap uses in immediate mode: V3 hands
 * over whole blocks, which holds a lone SYN back until its block times out) on an {@code AF_PACKET} socket, called
 * through the JDK's foreign-function API; sends like {@link PcapPacketIo}. The kernel writes each frame that passes
 * the {@link KernelFilter} into the next free slot of a ring shared with this process and flips the slot's status;
 * the worker copies the frame out and hands the slot back, with no system call and no allocation per frame, and
 * sleeps in {@code ppoll} when the ring is empty. Only frames addressed to this host's MAC are handed on (outgoing
 * ones, our own sends, are kept out of the ring). Frames are sent through a TX ring on the same socket, a batch per
 * system call, through the device's queueing discipline (straight to the device where vnet headers are off).
 *
 * <p>The socket is opened with {@code PACKET_VNET_HDR}: each captured frame comes with its {@code virtio_net_hdr}
 * ({@link FrameOffload}), and each sent frame goes with one. A super-frame (64 KB of segments a sender's TSO/GSO or
 * GRO merged, as veth, bridges and virtual NICs hand over by default) is then forwarded whole and segmented by the
 * kernel or the NIC on the way out, and a partial checksum stays partial. Slots are sized for the MTU, so the ring
 * holds many frames; a super-frame leaves a truncated copy in its slot and a whole one on the socket's queue
 * ({@code PACKET_COPY_THRESH}), read in its turn with one system call. Where the kernel refuses the option, the
 * ring works without it: partial checksums are completed on receipt and super-frames are segmented in user space
 * ({@link #sendsOffloads} is false).
 */
final class RingPacketIo implements PacketIo {
    private static final int TPACKET_V2 = 1;
    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    /** The sender left the TCP checksum to offload (CHECKSUM_PARTIAL): veth and loopback peers on this host. */
    private static final int TP_STATUS_CSUMNOTREADY = 8;
    /** The frame did not fit its slot; a whole copy waits on the socket's receive queue (PACKET_COPY_THRESH). */
    private static final int TP_STATUS_COPY = 2;
    /** struct tpacket2_hdr: status, len, snaplen, mac, net...; sockaddr_ll follows at TPACKET_ALIGN(32). */
    private static final long TP_LEN = 4;
    private static final long TP_SNAPLEN = 8;
    private static final long TP_MAC = 12;
    private static final long SLL_PKTTYPE = 32 + 10;
    /** sll_pkttype of a frame addressed to this host's MAC; others (broadcast, another host's, our own) are skipped. */
    private static final byte PACKET_HOST = 0;
    /**
     * Slot overhead: the kernel puts the frame at TPACKET_ALIGN(52 + 16) + sizeof(virtio_net_hdr) - 14, the vnet
     * header just before it, and may add a VLAN tag.
     */
    private static final int SLOT_OVERHEAD = 80 + FrameOffload.HEADER_BYTES + 4;
    /** The largest frame: an IP packet of 65,535 bytes (a super-frame) behind an Ethernet header and a VLAN tag. */
    private static final int LARGEST_FRAME = 0xFFFF + 18;
    private static final int RING_BYTES = 32 << 20;
    private static final int BLOCK_BYTES = 128 << 10;
    /**
     * The TX ring's slots hold the largest frame (a super-frame and its vnet header; a send() on a socket with a TX
     * ring only flushes the ring, so every frame must fit one), 15 to a block of 1 MiB: a power of two of pages, so
     * the kernel allocates no more than the ring uses.
     */
    private static final int TX_SLOT_BYTES = (32 + FrameOffload.HEADER_BYTES + LARGEST_FRAME + 15) & ~15;
    private static final int TX_BLOCK_BYTES = 1 << 20;
    private static final int TX_RING_BYTES = 8 << 20;
    /**
     * Room on the socket's receive queue for the whole copies of super-frames (PACKET_COPY_THRESH): a few hundred;
     * SO_RCVBUFFORCE goes beyond net.core.rmem_max (we run with CAP_NET_ADMIN), SO_RCVBUF is the fallback.
     */
    private static final int COPY_QUEUE_BYTES = 32 << 20;
    private static final int ETH_P_ALL = 0x0003;
    private static final VarHandle STATUS = JAVA_INT.varHandle();
    private static final long MAX_AWAIT_NANOS = 20_000_000;

    private final Arena arena;
    private final MemorySegment callState;
    private final int fd;
    private final MemorySegment ring;
    private final int slotBytes;
    private final int slotsPerBlock;
    private final int blockBytes;
    private final int slots;
    private final MemorySegment copied;
    private final byte[] frame;
    private final MemorySegment pollFd;
    private final MemorySegment timeout;
    private final MemorySegment stats;
    private final MemorySegment statsLength;
    private final RawIpSocket socket;
    private final TxRing tx;
    private final boolean vnet;
    private final int mtu;
    private final FrameOffload offload = new FrameOffload();
    private int next;
    private long truncated;

    private RingPacketIo(Arena arena, MemorySegment callState, int fd, MemorySegment ring, MemorySegment txRing,
                         int slotBytes, RawIpSocket socket, boolean vnet, int mtu) {
        this.arena = arena;
        this.vnet = vnet;
        this.mtu = mtu;
        this.callState = callState;
        this.fd = fd;
        this.ring = ring;
        this.slotBytes = slotBytes;
        this.blockBytes = Math.max(BLOCK_BYTES, slotBytes);
        this.slotsPerBlock = blockBytes / slotBytes;
        this.slots = (int) (ring.byteSize() / blockBytes) * slotsPerBlock;
        this.tx = new TxRing(txRing, TX_SLOT_BYTES, TX_BLOCK_BYTES, fd, callState, vnet);
        this.frame = new byte[Math.max(slotBytes, LARGEST_FRAME)];
        this.copied = arena.allocate(FrameOffload.HEADER_BYTES + LARGEST_FRAME + 64, 8);
        this.socket = socket;
        this.pollFd = arena.allocate(8, 8);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, Libc.POLLIN);
        this.timeout = arena.allocate(16, 8);
        this.stats = arena.allocate(8, 4);
        this.statsLength = arena.allocate(JAVA_INT);
    }

    /**
     * Opens a ring on {@code interfaceName} in the calling thread's network namespace. The socket is created
     * without a protocol, so it receives nothing until the filter and the ring are in place and it is bound.
     */
    static RingPacketIo open(String interfaceName, String filter) throws IOException {
        Arena arena = Arena.ofShared();
        MemorySegment state = arena.allocate(Libc.CALL_STATE);
        int fd = -1;
        MemorySegment ring = MemorySegment.NULL;
        RawIpSocket socket = null;
        try {
            int ifindex = (int) Libc.IF_NAMETOINDEX.invokeExact(state, arena.allocateFrom(interfaceName));
            if (ifindex == 0) {
                throw new IOException("interface: " + interfaceName + " (expected: an interface of this namespace)");
            }
            fd = (int) Libc.SOCKET.invokeExact(state, Libc.AF_PACKET, Libc.SOCK_RAW, 0);
            check(fd >= 0, "socket(AF_PACKET)", state);
            int mtu = mtu(state, fd, interfaceName);
            int slotBytes = Integer.highestOneBit(mtu + 14 + SLOT_OVERHEAD - 1) << 1;
            setInt(state, fd, Libc.SOL_PACKET, Libc.PACKET_VERSION, TPACKET_V2, "PACKET_VERSION");
            // before the rings exist (the kernel refuses it after); a kernel without it leaves super-frames to us
            boolean vnet = setInt(state, fd, Libc.SOL_PACKET, Libc.PACKET_VNET_HDR, 1, null);
            KernelFilter.attach(fd, filter, state);
            // Linux 4.20+; older kernels put our sends in the ring too, and receive() skips them by packet type
            setInt(state, fd, Libc.SOL_PACKET, Libc.PACKET_IGNORE_OUTGOING, 1, null);
            if (!vnet) {
                // frames we send go to the device's queue directly, as forwarded packets do after the kernel's
                // qdisc; not with super-frames: the direct path (__dev_direct_xmit) drops a frame the device cannot
                // take as it is instead of segmenting it, which dev_queue_xmit does
                setInt(state, fd, Libc.SOL_PACKET, Libc.PACKET_QDISC_BYPASS, 1, null);
            }
            int blockBytes = Math.max(BLOCK_BYTES, slotBytes);
            // Slots hold MTU-sized frames, so that the ring holds many; a super-frame that does not fit leaves a
            // truncated copy in its slot (TP_STATUS_COPY) and a whole one on the socket's queue, read in order
            setInt(state, fd, Libc.SOL_PACKET, Libc.PACKET_COPY_THRESH, 1, "PACKET_COPY_THRESH");
            if (!setInt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, COPY_QUEUE_BYTES, null)) {
                setInt(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, COPY_QUEUE_BYTES, null);
            }
            int blocks = RING_BYTES / blockBytes;
            MemorySegment request = arena.allocate(16, 4);
            request.set(JAVA_INT, 0, blockBytes);
            request.set(JAVA_INT, 4, blocks);
            request.set(JAVA_INT, 8, slotBytes);
            request.set(JAVA_INT, 12, blocks * (blockBytes / slotBytes));
            int rc = (int) Libc.SETSOCKOPT.invokeExact(state, fd, Libc.SOL_PACKET, Libc.PACKET_RX_RING, request, 16);
            check(rc == 0, "PACKET_RX_RING", state);
            int txBlocks = TX_RING_BYTES / TX_BLOCK_BYTES;
            request.set(JAVA_INT, 0, TX_BLOCK_BYTES);
            request.set(JAVA_INT, 4, txBlocks);
            request.set(JAVA_INT, 8, TX_SLOT_BYTES);
            request.set(JAVA_INT, 12, txBlocks * (TX_BLOCK_BYTES / TX_SLOT_BYTES));
            rc = (int) Libc.SETSOCKOPT.invokeExact(state, fd, Libc.SOL_PACKET, Libc.PACKET_TX_RING, request, 16);
            check(rc == 0, "PACKET_TX_RING", state);
            long rxBytes = (long) blockBytes * blocks;
            long bytes = rxBytes + (long) TX_BLOCK_BYTES * txBlocks;
            // one mapping holds both rings, the receive ring first (packet_mmap)
            MemorySegment mapped = (MemorySegment) Libc.MMAP.invokeExact(state, MemorySegment.NULL, bytes,
                    Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0L);
            check(mapped.address() != -1L, "mmap of the ring", state);
            ring = mapped.reinterpret(bytes);
            MemorySegment link = arena.allocate(20, 4); // sockaddr_ll
            link.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
            link.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) ETH_P_ALL);
            link.set(JAVA_INT, 4, ifindex);
            rc = (int) Libc.BIND.invokeExact(state, fd, link, 20);
            check(rc == 0, "bind to " + interfaceName, state);
            socket = RawIpSocket.open();
            return new RingPacketIo(arena, state, fd, ring.asSlice(0, rxBytes), ring.asSlice(rxBytes), slotBytes,
                    socket, vnet, mtu);
        } catch (Throwable t) {
            if (ring.byteSize() > 0) {
                unmap(state, ring);
            }
            if (fd >= 0) {
                Libc.closeQuietly(state, fd);
            }
            arena.close();
            if (t instanceof IOException io) {
                throw io;
            }
            throw new IOException("capture ring on " + interfaceName + ": " + t, t);
        }
    }

    @Override
    public int receive(int max, FrameHandler handler) {
        for (int n = 0; n < max; n++) {
            long slot = slotOffset(next, slotsPerBlock, slotBytes, blockBytes);
            int status = (int) STATUS.getAcquire(ring, slot);
            if ((status & TP_STATUS_USER) == 0) {
                return n;
            }
            int length = ring.get(JAVA_INT, slot + TP_LEN);
            int captured = ring.get(JAVA_INT, slot + TP_SNAPLEN);
            int mac = Short.toUnsignedInt(ring.get(JAVA_SHORT, slot + TP_MAC));
            // A frame for another MAC (the interface in promiscuous mode) is not ours to forward; and a frame sent on
            // as a frame keeps the MAC it was sent to as its source, which must be ours.
            boolean forUs = ring.get(JAVA_BYTE, slot + SLL_PKTTYPE) == PACKET_HOST;
            boolean whole = captured >= length;
            if (whole && forUs) {
                MemorySegment.copy(ring, JAVA_BYTE, slot + mac, frame, 0, captured);
                offload.clear();
                if (vnet) {
                    offload.read(ring, slot + mac - FrameOffload.HEADER_BYTES); // the kernel puts it just before
                }
            }
            // hand the slot back before the handler runs: the frame is in our array now
            STATUS.setRelease(ring, slot, TP_STATUS_KERNEL);
            next = next + 1 == slots ? 0 : next + 1;
            if (!whole) {
                // a super-frame: its whole copy is next on the socket's queue (if the queue had room)
                captured = (status & TP_STATUS_COPY) != 0 ? receiveCopy(length) : -1;
                whole = captured == length;
                if (!whole) {
                    truncated++;
                }
            }
            if (whole && forUs) {
                if (!vnet && (status & TP_STATUS_CSUMNOTREADY) != 0) {
                    // without the header the checksum's place is not known for sure: complete it now
                    Checksums.completeTcp(frame, captured);
                }
                handler.frame(frame, captured, offload);
            }
        }
        return max;
    }

    /**
     * Reads the whole copy of a frame that did not fit its slot from the socket's queue (after its vnet header, if
     * the socket has them) into the frame array and the offload.
     *
     * @return the frame's length, or -1 if none was waiting
     */
    private int receiveCopy(int expected) {
        long n;
        try {
            n = (long) Libc.RECV.invokeExact(callState, fd, copied, copied.byteSize(), Libc.MSG_DONTWAIT);
        } catch (Throwable t) {
            throw new IllegalStateException("recv: " + t, t);
        }
        int header = vnet ? FrameOffload.HEADER_BYTES : 0;
        int length = (int) n - header;
        if (n < 0 || length != expected || length > frame.length) {
            return -1;
        }
        offload.clear();
        if (vnet) {
            offload.read(copied, 0);
        }
        MemorySegment.copy(copied, JAVA_BYTE, header, frame, 0, length);
        return length;
    }

    /**
     * Where slot {@code n} starts: the kernel lays slots out block by block, as many as fit a block, so a block's
     * tail (less than a slot) is never used.
     */
    static long slotOffset(int n, int slotsPerBlock, int slotBytes, int blockBytes) {
        return (long) (n / slotsPerBlock) * blockBytes + (long) (n % slotsPerBlock) * slotBytes;
    }

    /** The number of frames the ring holds. */
    int slots() {
        return slots;
    }

    @Override
    public void await(long nanos) {
        timeout.set(JAVA_LONG, 0, nanos / 1_000_000_000);
        timeout.set(JAVA_LONG, 8, nanos % 1_000_000_000);
        try {
            int ignored = (int) Libc.PPOLL.invokeExact(callState, pollFd, 1L, timeout, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("ppoll: " + t, t);
        }
    }

    @Override
    public long longestAwaitNanos() {
        return MAX_AWAIT_NANOS;
    }

    @Override
    public Losses takeLosses() {
        long overflow = 0;
        try {
            statsLength.set(JAVA_INT, 0, 8);
            // struct tpacket_stats {tp_packets, tp_drops}; reading resets the kernel's counters
            int rc = (int) Libc.GETSOCKOPT.invokeExact(callState, fd, Libc.SOL_PACKET, Libc.PACKET_STATISTICS, stats,
                    statsLength);
            if (rc == 0) {
                overflow = Integer.toUnsignedLong(stats.get(JAVA_INT, 4));
            }
        } catch (Throwable t) {
            throw new IllegalStateException("PACKET_STATISTICS: " + t, t);
        }
        long tooBig = truncated;
        truncated = 0;
        return new Losses(overflow, tooBig, tx.takeRejected());
    }

    @Override
    public boolean send(byte[] packet, int offset, int length, int destinationIp) {
        flush(); // frames queued before this packet leave before it
        return socket.send(packet, offset, length, destinationIp);
    }

    @Override
    public boolean sendIpv6(byte[] packet, int offset, int length) {
        flush();
        return socket.sendIpv6(packet, offset, length);
    }

    /** Yes: a frame goes to the device without a route lookup or IP output (or the qdisc, without vnet headers). */
    @Override
    public boolean prefersFrames() {
        return true;
    }

    /**
     * Queued in the TX ring ({@link TxRing#queue}), sent at the batch's end; with its vnet header where the socket
     * has them, so a super-frame is segmented and a partial checksum completed by the kernel or the NIC.
     */
    @Override
    public boolean sendFrame(byte[] frame, int offset, int length, FrameOffload offload) {
        return tx.queue(frame, offset, length, offload);
    }

    @Override
    public boolean sendsOffloads() {
        return vnet;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void flush() {
        tx.flush();
    }

    /** How many frames are queued at most before they are sent without a flush. */
    int batchLimit() {
        return tx.batchLimit();
    }

    @Override
    public void filter(String expression) throws IOException {
        KernelFilter.attach(fd, expression, callState);
    }

    @Override
    public void close() {
        try {
            flush();
            socket.close();
        } finally {
            unmap(callState, MemorySegment.ofAddress(ring.address()).reinterpret(ring.byteSize() + tx.byteSize()));
            Libc.closeQuietly(callState, fd);
            arena.close();
        }
    }

    private static void unmap(MemorySegment state, MemorySegment ring) {
        try {
            int ignored = (int) Libc.MUNMAP.invokeExact(state, ring, ring.byteSize());
        } catch (Throwable t) {
            // the descriptor is closed next; the mapping goes with the process at worst
        }
    }

    /** Sets a socket option; a failure throws if the option is named, else only returns false. */
    private static boolean setInt(MemorySegment state, int fd, int level, int option, int value, String name)
            throws Throwable {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment v = temp.allocateFrom(JAVA_INT, value);
            int rc = (int) Libc.SETSOCKOPT.invokeExact(state, fd, level, option, v, 4);
            if (name != null) {
                check(rc == 0, name, state);
            }
            return rc == 0;
        }
    }

    private static void check(boolean ok, String what, MemorySegment state) throws IOException {
        if (!ok) {
            throw new IOException("capture ring: " + what + " failed, errno " + Libc.errno(state)
                    + (Libc.errno(state) == 1 ? " (expected: running as root or with CAP_NET_RAW)" : ""));
        }
    }

    /**
     * The MTU of an interface of the calling thread's namespace, through a socket of its own (the JDK's
     * {@code NetworkInterface} lists IPv6-only interfaces from {@code /proc/net}, which is the process's namespace).
     */
    static int mtuOf(String interfaceName) throws IOException {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment state = temp.allocate(Libc.CALL_STATE);
            int fd = (int) Libc.SOCKET.invokeExact(state, Libc.AF_INET, Libc.SOCK_DGRAM, 0);
            check(fd >= 0, "socket(AF_INET)", state);
            try {
                return mtu(state, fd, interfaceName);
            } finally {
                Libc.closeQuietly(state, fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("MTU of " + interfaceName + ": " + t, t);
        }
    }

    /** The interface's MTU (SIOCGIFMTU on any socket of its namespace). */
    private static int mtu(MemorySegment state, int fd, String interfaceName) throws Throwable {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment request = temp.allocate(40, 8); // struct ifreq: name[16], then the union
            request.setString(0, interfaceName);
            int rc = (int) Libc.IOCTL.invokeExact(state, fd, Libc.SIOCGIFMTU, request);
            check(rc == 0, "SIOCGIFMTU of " + interfaceName, state);
            return request.get(JAVA_INT, 16);
        }
    }
}
