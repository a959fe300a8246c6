package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Receive buffers for UDP sockets. A datagram must be read into a buffer of the largest UDP payload (65,535 bytes),
 * or a longer one is cut short without a word (Netty's default is 2048 bytes); allocating that much per datagram
 * cost a third more CPU per request than NGINX in bench/udp, and a quarter more per GB (docs/benchmarks.md). So on
 * epoll every socket of an event loop reads into one buffer of that loop (1 MiB: a listener reads up to
 * {@value #READS_PER_WAKEUP} datagrams per system call into slots of the largest size, {@link #scatteringReads}), and
 * each datagram is either sent on at once from it ({@link EpollUdpServerSide#send}, {@link UdpFrontend#reply}) or
 * copied out at its own size ({@link #detach}) before the next read reuses it.
 *
 * <p>This relies on epoll's datagram channel handing the datagrams of one read to the pipeline before it reads again
 * (its {@code recvmsg}, {@code recvmmsg} and connected reads do), and on every handler of these sockets doing one of
 * the two first ({@link EpollUdpServerSide} reads into the buffer's start as well, from its own wake-up, never while a
 * listener's batch is being handed on). NIO reads several datagrams before handing them on, so it gets a buffer per
 * read.
 */
final class DatagramBuffers {
    static final int MAX_DATAGRAM = 65_535;
    private static final FastThreadLocal<ByteBuf> SHARED = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            // held for the loop's life; room for a scattering read's datagrams, each at the largest size
            return Unpooled.directBuffer(READS_PER_WAKEUP * MAX_DATAGRAM, READS_PER_WAKEUP * MAX_DATAGRAM);
        }

        /**
         * The loop's thread ends (its group shut down): the buffer is released, or its native memory would stay
         * allocated (Netty's direct buffers are not freed by the garbage collector), 1 MiB per loop of every proxy
         * closed in the process. A datagram still holding a slice of it keeps it until that slice is released.
         */
        @Override
        protected void onRemoval(ByteBuf buffer) {
            buffer.release();
        }
    };
    /**
     * Datagrams read per wake-up: what Netty gives datagram channels by default, which setting an allocator would
     * otherwise reset to one.
     */
    private static final int READS_PER_WAKEUP = 16;
    private static final RecvByteBufAllocator PER_READ = new FixedRecvByteBufAllocator(MAX_DATAGRAM)
            .maxMessagesPerRead(READS_PER_WAKEUP);

    private DatagramBuffers() {}

    /** The receive buffer allocator for a UDP socket of {@code transport}. */
    static RecvByteBufAllocator receiveBuffers(Transport transport) {
        return transport == Transport.EPOLL ? new Shared() : PER_READ;
    }

    /**
     * Has an epoll listener read its datagrams with one {@code recvmmsg(2)} per batch of up to
     * {@value #READS_PER_WAKEUP} (Netty's scattering read, into slots of the largest datagram's size in the loop's
     * buffer) instead of a {@code recvmsg(2)} each.
     */
    static void scatteringReads(Channel listener, Transport transport) {
        if (transport == Transport.EPOLL) {
            listener.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
        }
    }

    /** The event loop's receive buffer, for a read whose bytes are copied out before the next one. */
    static ByteBuf shared() {
        return SHARED.get();
    }

    /** The datagram's bytes in a buffer of their own size; releases {@code content}. */
    static ByteBuf detach(ByteBufAllocator alloc, ByteBuf content) {
        try {
            int n = content.readableBytes();
            return alloc.directBuffer(n, n).writeBytes(content);
        } finally {
            content.release();
        }
    }

    /** Hands out the event loop's buffer, emptied and retained once per read. */
    private static final class Shared extends DefaultMaxMessagesRecvByteBufAllocator {
        Shared() {
            super(READS_PER_WAKEUP);
        }

        @Override
        public Handle newHandle() {
            return new MaxMessageHandle() {
                @Override
                public ByteBuf allocate(ByteBufAllocator alloc) {
                    return SHARED.get().clear().retain();
                }

                @Override
                public int guess() {
                    return READS_PER_WAKEUP * MAX_DATAGRAM;
                }
            };
        }
    }
}
