package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * UDP through the packet data plane between real namespaces ({@link PacketLab} with a UDP frontend on VIP:53 and
 * UDP echo servers): request and answer with real datagram sockets through passthrough (IPv4 and IPv6) and DSR l2,
 * nat and ipip (the servers set up with the commands {@link DsrServerSetup} prints for UDP; for ipip, on this kernel
 * without the module, with an {@link IpipTunnelStandIn} as tunl0 under a loose reverse-path filter), spread over both
 * servers, counted both ways; a datagram sent without a checksum (zero, IPv4) arrives intact and still without one,
 * in passthrough and inside IP-in-IP; a datagram with a bad length is dropped and counted. The IPv6 and DSR l2 and
 * ipip labs leave the veths' offloads at their defaults, so the senders' datagrams reach the capture with a partial
 * checksum.
 */
class UdpThroughPacketModesNamespaceTest {

    /** Sends {@code payload} from client port {@code port} to VIP:53 and returns the answer (retried on loss). */
    static String exchange(PacketLab lab, int port, String payload) throws Exception {
        return lab.inClient(() -> {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(lab.clientIp, port))) {
                socket.setSoTimeout(1000);
                byte[] out = payload.getBytes(StandardCharsets.UTF_8);
                for (int attempt = 0; attempt < 5; attempt++) {
                    socket.send(new DatagramPacket(out, out.length, new InetSocketAddress(lab.vip, PacketLab.UDP_PORT)));
                    DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                    try {
                        socket.receive(in);
                    } catch (SocketTimeoutException lost) {
                        continue; // the first datagram can meet an unresolved neighbour
                    }
                    assertThat(in.getSocketAddress()).as("answered from the VIP")
                            .isEqualTo(new InetSocketAddress(lab.vip, PacketLab.UDP_PORT));
                    return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                }
                throw new AssertionError("no answer to " + payload + " from client port " + port);
            }
        });
    }

    /** 40 request/answer exchanges from distinct client ports; returns the answers per server. */
    static Map<String, Integer> exchanges(PacketLab lab) throws Exception {
        Map<String, Integer> perServer = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String answer = exchange(lab, 42000 + i, "query-" + i);
            assertThat(answer).endsWith(" query-" + i);
            perServer.merge(answer.split(" ")[0], 1, Integer::sum);
        }
        return perServer;
    }

    /**
     * Sends a raw datagram without a checksum (IPv4 allows it) from client port 43000 to VIP:53, waits until a
     * server took it, and returns the first frame the servers' captures saw.
     */
    static byte[] sendWithoutChecksum(PacketLab lab, WireCapture s1, WireCapture s2) throws Exception {
        byte[] packet = FrameBuilder.udp(lab.clientIp, 43000, lab.vip, PacketLab.UDP_PORT).payload("no-checksum")
                .zeroChecksum().ipPacket();
        NetNamespaces.callIn(lab.client, () -> {
            try (RawIpSocket raw = RawIpSocket.open()) {
                assertThat(raw.send(packet, 0, packet.length, FrameBuilder.ip(lab.vip))).isTrue();
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> lab.udpServers.stream()
                .anyMatch(s -> s.received.contains("no-checksum")));
        await().atMost(Duration.ofSeconds(5)).until(() -> s1.frames.size() + s2.frames.size() > 0);
        return (s1.frames.isEmpty() ? s2.frames : s1.frames).getFirst();
    }

    @Test
    void passthroughCarriesRequestsAndAnswersAndKeepsAZeroChecksumZero() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).udp().start()) {
            Map<String, Integer> perServer = exchanges(lab);
            assertThat(perServer).containsOnlyKeys("s1", "s2");
            PassthroughCounters.Udp udp = lab.plane.counters().udp();
            assertThat(udp.flowsOpened()).isEqualTo(40);
            assertThat(udp.datagramsToServers()).isGreaterThanOrEqualTo(40);
            assertThat(udp.datagramsToClients()).isGreaterThanOrEqualTo(40);
            assertThat(udp.bytesToClients()).isGreaterThan(udp.bytesToServers()); // answers carry the server's name

            // A datagram without a checksum (IPv4 allows it), sent raw from the client: the servers' kernels take it
            // only if it arrives with a zero or a right checksum, and on the wire it is still zero.
            try (WireCapture s1 = new WireCapture(lab.serverNs.get(0), "vs1", "udp and dst port 5353");
                 WireCapture s2 = new WireCapture(lab.serverNs.get(1), "vs2", "udp and dst port 5353")) {
                byte[] onWire = sendWithoutChecksum(lab, s1, s2);
                assertThat(TcpFrame.readU16(onWire, 14 + 20 + 6)).as("the UDP checksum field on the wire").isZero();
                assertThat(TcpFrame.readU16(onWire, 14 + 20)).as("from the flow's port").isEqualTo(43000);
            }

            // a bad length: dropped and counted, never forwarded
            byte[] bad = FrameBuilder.udp(lab.clientIp, 43001, lab.vip, PacketLab.UDP_PORT).payload("bad")
                    .udpLengthOff(20).ipPacket();
            NetNamespaces.callIn(lab.client, () -> {
                try (RawIpSocket raw = RawIpSocket.open()) {
                    raw.send(bad, 0, bad.length, FrameBuilder.ip(lab.vip));
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> lab.plane.counters().udp().droppedMalformed() == 1);
            assertThat(lab.udpServers.stream().noneMatch(s -> s.received.contains("bad"))).isTrue();
        }
    }

    @Test
    void passthroughCarriesIpv6Datagrams() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).ipv6().udp().defaultOffloads().start()) {
            assertThat(exchanges(lab)).containsOnlyKeys("s1", "s2");
            assertThat(lab.plane.counters().udp().datagramsToClients()).isGreaterThanOrEqualTo(40);
            assertThat(lab.plane.counters().udp().droppedMalformed()).isZero();
        }
    }

    @Test
    void dsrL2DeliversRequestsAndTheServersAnswerFromTheVip() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.DSR_L2).udp().defaultOffloads().start()) {
            assertThat(exchanges(lab)).containsOnlyKeys("s1", "s2");
            PassthroughCounters.Udp udp = lab.plane.counters().udp();
            assertThat(udp.datagramsToServers()).isGreaterThanOrEqualTo(40);
            assertThat(udp.datagramsToClients()).as("DSR: the answers bypass the balancer").isZero();
        }
    }

    @Test
    void dsrIpipEncapsulatesRequestsAndTheServersAnswerFromTheVip() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.DSR_IPIP).serverPort(PacketLab.VIP_PORT).withoutHttpServers().udp()
                .ipipStandIn().defaultOffloads().start();
             WireCapture s1 = new WireCapture(lab.serverNs.get(0), "vs1", "ip proto 4");
             WireCapture s2 = new WireCapture(lab.serverNs.get(1), "vs2", "ip proto 4");
             WireCapture answers = new WireCapture(lab.client, "vc", "udp and src port " + PacketLab.UDP_PORT)) {
            Map<String, List<String>> answeredBy = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                String answer = exchange(lab, 42000 + i, "query-" + i);
                assertThat(answer).endsWith(" query-" + i);
                answeredBy.computeIfAbsent(answer.split(" ")[0], s -> new ArrayList<>()).add("query-" + i);
            }
            assertThat(answeredBy).containsOnlyKeys("s1", "s2");
            PassthroughCounters.Udp udp = lab.plane.counters().udp();
            assertThat(udp.flowsOpened()).isEqualTo(40);
            assertThat(udp.datagramsToServers()).isGreaterThanOrEqualTo(40);
            assertThat(udp.bytesToServers()).isGreaterThanOrEqualTo(40 * "query-0".length());
            assertThat(udp.datagramsToClients()).as("DSR: the answers bypass the balancer").isZero();
            assertThat(udp.droppedMalformed()).isZero();
            assertThat(lab.plane.counters().dropped(DropReason.SEND_FAILED)).isZero();

            // Each server got its requests inside IP-in-IP from the balancer, the client's datagram unchanged
            // within (its partial checksum completed: the servers' kernels verify it after decapsulation).
            List<WireCapture> atServers = List.of(s1, s2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (int i = 0; i < 2; i++) {
                    String serverIp = lab.serverIps.get(i);
                    List<String> payloads = atServers.get(i).frames.stream()
                            .map(frame -> innerDatagram(frame, lab, serverIp)).toList();
                    assertThat(payloads).as("requests inside IP-in-IP at s%d", i + 1)
                            .containsAll(answeredBy.get("s" + (i + 1)));
                }
            });
            assertThat(lab.tunnels).allSatisfy(t -> assertThat(t.decapsulated.get()).isPositive());

            // The answers came from the servers' own MACs, not through the balancer, with the VIP as source.
            Set<String> serverMacs = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                String device = "vs" + (i + 1);
                serverMacs.add(lab.namespaces.exec(lab.serverNs.get(i), "cat", "/sys/class/net/" + device + "/address")
                        .strip());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> answers.frames.size() >= 40);
            Set<String> answeredFrom = new HashSet<>();
            for (byte[] frame : answers.frames) {
                assertThat(Ipv4.format(TcpFrame.readInt(frame, 14 + 12))).as("answer's source").isEqualTo(lab.vip);
                answeredFrom.add(mac(frame, 6));
            }
            assertThat(answeredFrom).isEqualTo(serverMacs);

            // A datagram without a checksum stays without one inside the tunnel, and the server takes it.
            s1.frames.clear();
            s2.frames.clear();
            byte[] onWire = sendWithoutChecksum(lab, s1, s2);
            int innerUdp = 14 + 20 + 20;
            assertThat(TcpFrame.readU16(onWire, innerUdp + 6)).as("the inner UDP checksum field on the wire").isZero();
            assertThat(TcpFrame.readU16(onWire, innerUdp)).as("from the flow's port").isEqualTo(43000);
        }
    }

    /**
     * The payload of the UDP datagram inside an IP-in-IP frame captured at a server, after checking the outer
     * header (protocol 4, the balancer to {@code serverIp}) and the inner one (the client to VIP:53, a right checksum).
     */
    private static String innerDatagram(byte[] frame, PacketLab lab, String serverIp) {
        int outer = 14;
        assertThat(frame[outer + 9]).as("outer protocol").isEqualTo((byte) DsrRewriter.PROTOCOL_IPIP);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 12))).as("outer source").isEqualTo(lab.balancerIp);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 16))).as("outer destination").isEqualTo(serverIp);
        int inner = outer + 20;
        int src = TcpFrame.readInt(frame, inner + 12);
        int dst = TcpFrame.readInt(frame, inner + 16);
        assertThat(frame[inner + 9]).as("inner protocol").isEqualTo((byte) TcpFrame.PROTOCOL_UDP);
        assertThat(Ipv4.format(src)).as("inner source").isEqualTo(lab.clientIp);
        assertThat(Ipv4.format(dst)).as("inner destination").isEqualTo(lab.vip);
        int udp = inner + (frame[inner] & 0x0F) * 4;
        int length = TcpFrame.readU16(frame, udp + 4);
        assertThat(TcpFrame.readU16(frame, udp + 2)).isEqualTo(PacketLab.UDP_PORT);
        assertThat(Checksums.udpValid(frame, src, dst, udp, length)).as("inner UDP checksum").isTrue();
        return new String(frame, udp + 8, length - 8, StandardCharsets.UTF_8);
    }

    private static String mac(byte[] frame, int at) {
        StringBuilder out = new StringBuilder();
        for (int i = at; i < at + 6; i++) {
            out.append(i > at ? ":" : "").append(String.format("%02x", frame[i] & 0xFF));
        }
        return out.toString();
    }

    @Test
    void dsrNatWithTheServerSetupItPrintsForUdp() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.DSR_NAT).udp().start()) {
            assertThat(exchanges(lab)).containsOnlyKeys("s1", "s2");
            assertThat(lab.plane.counters().udp().datagramsToServers()).isGreaterThanOrEqualTo(40);
            assertThat(lab.plane.counters().udp().datagramsToClients()).isZero();
        }
    }
}
