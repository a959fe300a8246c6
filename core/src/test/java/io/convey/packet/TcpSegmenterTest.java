package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.FIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The user-space segmenter, table-driven: a super-frame in, the frames a kernel's GSO would send out (each built
 * from scratch with its own lengths, sequence number, IPv4 id, flags and checksums).
 */
class TcpSegmenterTest {
    static final int PSH = 0x08;
    static final int CWR = 0x80;

    record Case(String name, FrameBuilder superFrame, boolean partialChecksum, int mss, List<FrameBuilder> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] payload(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = TinyHttpServer.bodyByte(i);
        }
        return b;
    }

    static byte[] slice(byte[] payload, int from, int to) {
        return Arrays.copyOfRange(payload, from, to);
    }

    static FrameBuilder v4() {
        return FrameBuilder.tcp("10.0.0.10", 80, "192.168.1.5", 40000).ack(777).ipId(0xFFFE);
    }

    static FrameBuilder v6() {
        return FrameBuilder.tcp6("fd00::10", 80, "fd00:1::5", 40000).ack(777);
    }

    static Stream<Case> cases() {
        byte[] data = payload(3000);
        return Stream.of(
            new Case("IPv4: three segments; ids count on (and wrap), FIN and PSH on the last, CWR on the first",
                    v4().seq(1000).flags(ACK | PSH | FIN | CWR).payload(data), false, 1200, List.of(
                v4().seq(1000).flags(ACK | CWR).payload(slice(data, 0, 1200)),
                v4().seq(2200).flags(ACK).payload(slice(data, 1200, 2400)).ipId(0xFFFF),
                v4().seq(3400).flags(ACK | PSH | FIN).payload(slice(data, 2400, 3000)).ipId(0))),
            new Case("IPv4 with a partial checksum (the pseudo-header's sum): every segment gets a full one",
                    v4().seq(-100).flags(ACK | PSH).payload(data), true, 1500, List.of(
                v4().seq(-100).flags(ACK).payload(slice(data, 0, 1500)),
                v4().seq(1400).flags(ACK | PSH).payload(slice(data, 1500, 3000)).ipId(0xFFFF))),
            new Case("IPv4 options are copied into every segment",
                    v4().ipOptions(new byte[] {1, 1, 1, 0}).flags(ACK).payload(slice(data, 0, 2000)), false, 1000,
                    List.of(
                v4().ipOptions(new byte[] {1, 1, 1, 0}).flags(ACK).payload(slice(data, 0, 1000)),
                v4().ipOptions(new byte[] {1, 1, 1, 0}).flags(ACK).payload(slice(data, 1000, 2000)).seq(2000)
                        .ipId(0xFFFF))),
            new Case("a frame within the MSS is sent as one segment",
                    v4().flags(ACK | PSH).payload(slice(data, 0, 100)), true, 1448, List.of(
                v4().flags(ACK | PSH).payload(slice(data, 0, 100)))),
            new Case("IPv6: payload lengths, sequence numbers and flags; no id",
                    v6().seq(5).flags(ACK | PSH | FIN).payload(data), false, 1400, List.of(
                v6().seq(5).flags(ACK).payload(slice(data, 0, 1400)),
                v6().seq(1405).flags(ACK).payload(slice(data, 1400, 2800)),
                v6().seq(2805).flags(ACK | PSH | FIN).payload(slice(data, 2800, 3000)))),
            new Case("IPv6 with a partial checksum",
                    v6().flags(ACK).payload(slice(data, 0, 2000)), true, 1000, List.of(
                v6().flags(ACK).payload(slice(data, 0, 1000)),
                v6().seq(2000).flags(ACK).payload(slice(data, 1000, 2000)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cutsASuperFrameAsTheKernelWould(Case c) {
        byte[] frame = c.superFrame().frame();
        if (c.partialChecksum()) {
            Checksums.makePartial(frame, TcpFrame.ETHERNET_HEADER);
        }
        List<byte[]> frames = new ArrayList<>();
        int failed = new TcpSegmenter().segment(frame, 0, TcpFrame.ETHERNET_HEADER,
                frame.length - TcpFrame.ETHERNET_HEADER, c.mss(), (b, o, l) -> frames.add(Arrays.copyOfRange(b, o, o + l)));
        assertThat(failed).isZero();
        assertThat(frames).containsExactlyElementsOf(c.expected().stream().map(FrameBuilder::frame).toList());

        List<byte[]> packets = new ArrayList<>(); // the same without the Ethernet header, as routed sends take it
        new TcpSegmenter().segment(frame, TcpFrame.ETHERNET_HEADER, TcpFrame.ETHERNET_HEADER,
                frame.length - TcpFrame.ETHERNET_HEADER, c.mss(), (b, o, l) -> packets.add(Arrays.copyOfRange(b, o, o + l)));
        assertThat(packets).containsExactlyElementsOf(c.expected().stream().map(FrameBuilder::ipPacket).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRefusedSegmentIsCountedAndTheRestStillLeave(Case c) {
        byte[] frame = c.superFrame().frame();
        List<Integer> offered = new ArrayList<>();
        int failed = new TcpSegmenter().segment(frame, 0, TcpFrame.ETHERNET_HEADER,
                frame.length - TcpFrame.ETHERNET_HEADER, c.mss(), (b, o, l) -> {
                    offered.add(l);
                    return offered.size() != 1;
                });
        assertThat(failed).isEqualTo(1);
        assertThat(offered).hasSize(c.expected().size());
    }
}
