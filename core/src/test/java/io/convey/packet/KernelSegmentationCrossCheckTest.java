package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.FIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The user-space segmenter against the kernel's own: a super-frame is sent with its vnet header through the TX ring
 * onto a veth whose segmentation and checksum offloads are off, so the kernel segments it in software
 * ({@code tcp_gso_segment}) and completes each checksum; the frames that arrive on the peer, captured by a ring,
 * must be byte for byte what {@link TcpSegmenter} makes of the same super-frame. This also shows that this kernel
 * reads the vnet header on a TX ring and fills it on an RX ring (where a frame's checksum is complete, it says
 * nothing is left to do).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelSegmentationCrossCheckTest {
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;
    /** FrameBuilder's MACs: frames go from ...:02 to ...:01. */
    private static final String SENDER_MAC = "02:00:00:00:00:02";
    private static final String RECEIVER_MAC = "02:00:00:00:00:01";

    private final NetNamespaces namespaces = new NetNamespaces();
    private String sender;
    private String receiver;

    @BeforeAll
    void wire() throws Exception {
        sender = namespaces.create("gsoa");
        receiver = namespaces.create("gsob");
        NetNamespaces.run("ip", "link", "add", "xa", "netns", sender, "address", SENDER_MAC, "type", "veth", "peer",
                "name", "xb", "netns", receiver, "address", RECEIVER_MAC);
        namespaces.exec(sender, "ip", "link", "set", "xa", "up");
        namespaces.exec(receiver, "ip", "link", "set", "xb", "up");
        // the kernel segments and checksums in software on the way out of xa; nothing merges on the way in
        namespaces.exec(sender, "ethtool", "-K", "xa", "tso", "off", "gso", "off", "tx", "off");
        namespaces.exec(receiver, "ethtool", "-K", "xb", "gro", "off");
    }

    @AfterAll
    void unwire() {
        namespaces.close();
    }

    @ParameterizedTest(name = "IPv6: {0}")
    @ValueSource(booleans = {false, true})
    void theKernelSegmentsASuperFrameExactlyAsTheSegmenterDoes(boolean ipv6) throws Exception {
        byte[] data = TcpSegmenterTest.payload(10_000);
        int port = ipv6 ? 40006 : 40004;
        FrameBuilder builder = ipv6 ? FrameBuilder.tcp6("fd00:9::1", port, "fd00:9::2", 9)
                : FrameBuilder.tcp("10.209.0.1", port, "10.209.0.2", 9).ipId(0xFFF0);
        byte[] superFrame = builder.seq(-5000).ack(12345).flags(ACK | PSH | FIN | CWR).payload(data).frame();
        int mss = 1400;

        List<byte[]> expected = new ArrayList<>();
        new TcpSegmenter().segment(superFrame, 0, TcpFrame.ETHERNET_HEADER,
                superFrame.length - TcpFrame.ETHERNET_HEADER, mss, (b, o, l) -> expected.add(Arrays.copyOfRange(b, o, o + l)));
        assertThat(expected).hasSize(8);

        FrameOffload offload = new FrameOffload();
        offload.gsoType = ipv6 ? FrameOffload.GSO_TCPV6 : FrameOffload.GSO_TCPV4;
        offload.gsoSize = mss;
        offload.partialChecksum = true;
        offload.csumStart = TcpFrame.ETHERNET_HEADER + (ipv6 ? TcpFrame.IPV6_HEADER : 20);
        offload.csumOffset = 16;
        byte[] sent = superFrame.clone();
        Checksums.makePartial(sent, TcpFrame.ETHERNET_HEADER);

        List<byte[]> arrived = new CopyOnWriteArrayList<>();
        List<FrameOffload> said = new CopyOnWriteArrayList<>();
        try (RingPacketIo in = NetNamespaces.callIn(receiver, () -> RingPacketIo.open("xb", "tcp and src port " + port));
                RingPacketIo out = NetNamespaces.callIn(sender, () -> RingPacketIo.open("xa", CaptureFilter.NOTHING))) {
            assertThat(out.sendsOffloads()).as("PACKET_VNET_HDR on this kernel").isTrue();
            assertThat(out.sendFrame(sent, 0, sent.length, offload)).isTrue();
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                in.receive(64, (frame, length, o) -> {
                    arrived.add(Arrays.copyOf(frame, length));
                    said.add(copy(o));
                });
                return arrived.size() >= expected.size();
            });
            assertThat(out.takeLosses().sendFailed()).isZero();
        }
        assertThat(arrived).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(arrived.get(i)).as("segment %d", i).isEqualTo(expected.get(i));
            assertThat(said.get(i).isSuperFrame()).isFalse();
            assertThat(said.get(i).partialChecksum).isFalse();
        }
    }

    private static FrameOffload copy(FrameOffload o) {
        FrameOffload c = new FrameOffload();
        c.gsoType = o.gsoType;
        c.gsoSize = o.gsoSize;
        c.partialChecksum = o.partialChecksum;
        c.csumStart = o.csumStart;
        c.csumOffset = o.csumOffset;
        return c;
    }
}
