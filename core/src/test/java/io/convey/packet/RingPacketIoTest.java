package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PACKET_MMAP ring on loopback (root): filtering, overflow accounting, slots handed back, errors. */
class RingPacketIoTest {
    private ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress()); // more than the ring's slots
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        server.close();
    }

    @Test
    void countsWhatTheFullRingLostAndReceivesAgainOnceSlotsAreHandedBack() throws Exception {
        String synsToServer = "tcp[tcpflags] == tcp-syn and dst port " + server.getLocalPort();
        try (RingPacketIo ring = RingPacketIo.open("lo", synsToServer)) {
            int slots = ring.slots();
            connect(slots + 44); // nobody reads meanwhile: the ring fills, the kernel drops the rest
            TcpFrame p = new TcpFrame();
            List<Integer> ports = new ArrayList<>();
            int received = ring.receive(10_000, (frame, length, offload) -> {
                // loopback leaves TCP checksums to offload: the vnet header says so, and where the checksum is
                assertThat(offload.partialChecksum).isTrue();
                p.partialChecksum = true;
                assertThat(p.parse(frame, length, true)).isNull();
                assertThat(offload.csumStart).isEqualTo(p.tcpOffset);
                assertThat(offload.csumOffset).isEqualTo(16);
                assertThat(offload.isSuperFrame()).isFalse();
                ports.add(p.srcPort);
            });
            // each SYN once: loopback shows a frame as outgoing and incoming, the ring keeps only the incoming one
            assertThat(received).isEqualTo(slots);
            assertThat(ports).doesNotHaveDuplicates();
            assertThat(p.dstPort).isEqualTo(server.getLocalPort());
            assertThat(ring.takeLosses()).isEqualTo(new PacketIo.Losses(44, 0, 0));
            assertThat(ring.takeLosses()).isEqualTo(new PacketIo.Losses(0, 0, 0)); // taken, so counted once

            connect(10);
            List<Integer> more = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                ring.receive(64, (frame, length, offload) -> more.add(length));
                return more.size() >= 10;
            });
            assertThat(more).hasSize(10);
        }
    }

    @Test
    void waitsForAFrameInsteadOfSleepingItsTimeOut() throws Exception {
        try (RingPacketIo ring = RingPacketIo.open("lo", "tcp and dst port " + server.getLocalPort())) {
            // A wait far longer than the test may take ends because a SYN arrives (sent a tenth of a second in):
            // the wait ending at all, with the frame ready, is the behaviour; no clock is read.
            // (threads of their own: the common pool may have a single worker on a small machine)
            Executor thread = task -> Thread.ofPlatform().start(task);
            CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> ring.await(Duration.ofDays(1).toNanos()),
                    thread);
            CompletableFuture<Void> syn = CompletableFuture.runAsync(() -> {
                try {
                    connect(1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, thread));
            await().atMost(Duration.ofMinutes(1)).until(waited::isDone);
            syn.join();
            assertThat(ring.receive(64, (frame, length, offload) -> { })).isPositive();
        }
    }

    @Test
    void framesQueuedInTheTxRingLeaveTogetherOnFlushOrWhenABatchIsFull() throws Exception {
        int port = server.getLocalPort();
        try (RingPacketIo receiver = RingPacketIo.open("lo", "tcp and dst port " + port);
                RingPacketIo sender = RingPacketIo.open("lo", CaptureFilter.NOTHING)) {
            java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
            PacketIo.FrameHandler count = (frame, length, offload) -> received.incrementAndGet();
            FrameOffload plain = new FrameOffload();
            byte[] frame = FrameBuilder.tcp("127.0.0.1", 40000, "127.0.0.1", port).flags(TcpFrame.ACK).frame();
            java.util.Arrays.fill(frame, 0, 12, (byte) 0); // loopback's MAC is all zeros

            for (int i = 0; i < 10; i++) {
                assertThat(sender.sendFrame(frame, 0, frame.length, plain)).isTrue();
            }
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                    .until(() -> receiver.receive(64, count) == 0 && received.get() == 0); // queued, not sent
            sender.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                receiver.receive(64, count);
                return received.get() == 10;
            });

            int batch = sender.batchLimit(); // 64, or the whole TX ring if smaller
            for (int i = 0; i < batch; i++) { // a full batch goes without a flush
                sender.sendFrame(frame, 0, frame.length, plain);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                receiver.receive(64, count);
                return received.get() == 10 + batch;
            });
            assertThat(sender.takeLosses().sendFailed()).isZero();
        }
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> RingPacketIo.open("nosuch0", "tcp"))
                .isInstanceOf(IOException.class)
                .hasMessage("interface: nosuch0 (expected: an interface of this namespace)");
        assertThatThrownBy(() -> RingPacketIo.open("lo", "tcp and dst port banana"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("filter: tcp and dst port banana (");
    }

    @Test
    void autoFallsBackToLibpcapWhenTheRingCannotBeSetUp() throws Exception {
        PacketDataPlane.IoFactory auto = PacketDataPlane.firstWorking(
                (name, filter) -> {
                    throw new IOException("no ring here");
                },
                PcapPacketIo::open);
        try (PacketIo io = auto.open("lo", "tcp and dst port " + server.getLocalPort())) {
            assertThat(io).isInstanceOf(PcapPacketIo.class);
        }
    }

    private void connect(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
            sockets.add(s);
        }
    }
}
