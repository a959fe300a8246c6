package io.convey.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Receive buffers for UDP sockets. A datagram must be read into a buffer of the largest UDP payload (65,535 bytes),
 * or a longer one is cut short without a word (Netty's default is 2048 bytes); allocating that much per datagram
 * cost a third more CPU per request than NGINX in bench/udp, and a quarter more per GB (docs/benchmarks.md). So on
 * epoll every socket of an event loop reads into one buffer of that loop, and each datagram is either sent on at once
 * from it ({@link EpollUdpServerSide#send}, {@link UdpFrontend#reply}) or copied out at its own size
 * ({@link #detach}) before the next read reuses it.
 *
 * <p>This relies on epoll's datagram channel handing each datagram to the pipeline before it reads the next one
 * (its {@code recvmsg} and connected reads do; scattering reads are off), and on every handler of these sockets
 * doing one of the two first ({@link EpollUdpServerSide} reads into it as well). NIO reads several datagrams before
 * handing them on, so it gets a buffer per read.
 */
final class DatagramBuffers {
    static final int MAX_DATAGRAM = 65_535;
    private static final FastThreadLocal<ByteBuf> SHARED = new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
            return Unpooled.directBuffer(MAX_DATAGRAM, MAX_DATAGRAM); // held for the loop's life
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
                    return MAX_DATAGRAM;
                }
            };
        }
    }
}
