package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The full DSR ipip round trip between real namespaces, with the offloads containers have (TSO, GSO and checksum
 * offload on every veth). The servers run the lines {@link DsrServerSetup} prints, except {@code modprobe ipip}: this
 * kernel has no ipip module, so an {@link IpipTunnelStandIn} is their tunl0. Requests reach both servers inside
 * IP-in-IP from the balancer, the inner packet being what the client sent (its checksum completed), and the answers
 * come straight from the servers with the VIP as source; a download and an upload of several megabytes arrive
 * intact, the upload's super-frames cut by the balancer so that each segment fits the MTU with its outer header.
 */
class DsrIpipNamespaceTest extends PacketLabScenarios {
    private static final long TRANSFER = 8L * 1024 * 1024;
    /** Ethernet (14) plus the largest IP packet a 1500-byte link carries. */
    private static final int LARGEST_FRAME = 14 + 1500;

    @Override
    PacketLab configureLab() {
        return new PacketLab(Delivery.DSR_IPIP).serverPort(PacketLab.VIP_PORT).ipipStandIn().defaultOffloads();
    }

    @Test
    @Order(1)
    void requestsReachBothServersInsideIpInIpAndTheAnswersComeStraightFromThemAsTheVip() throws Exception {
        // Rings of many small slots: with a 64 KiB snaplen libpcap's 2 MiB ring holds 32 frames, which a loaded
        // machine overruns while the reader waits for a CPU, and a frame lost at the client fails the check below.
        int snaplen = 2048;
        int buffer = 32 << 20;
        try (WireCapture s1 = new WireCapture(lab.serverNs.get(0), "vs1", "ip proto 4", snaplen, buffer);
             WireCapture s2 = new WireCapture(lab.serverNs.get(1), "vs2", "ip proto 4", snaplen, buffer);
             WireCapture atClient = new WireCapture(lab.client, "vc", "tcp port " + PacketLab.VIP_PORT, snaplen,
                     buffer)) {
            Map<String, Integer> perServer = checkRequestsSpreadOverBothServers();
            PassthroughCounters c = lab.plane.counters();
            log.info("ipip: 100 requests: perServer={} frames at servers {} / {}, counters={}", perServer,
                    s1.frames.size(), s2.frames.size(), c);
            assertThat(c.connectionsOpened()).isGreaterThanOrEqualTo(100);
            assertThat(c.packetsToServers()).isGreaterThanOrEqualTo(300);
            assertThat(c.packetsToClients()).isZero();
            for (int i = 0; i < 2; i++) {
                assertThat(lab.tunnels.get(i).decapsulated.get()).as("packets decapsulated at s%d", i + 1)
                        .isGreaterThanOrEqualTo(3L * perServer.get("s" + (i + 1)));
            }

            // Captures are read on their own threads: retry until every frame at a server has shown up at the client.
            List<WireCapture> atServers = List.of(s1, s2);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Set<String> sent = new HashSet<>();
                for (byte[] frame : atClient.frames) {
                    if (Ipv4.format(TcpFrame.readInt(frame, 14 + 16)).equals(lab.vip)) {
                        sent.add(withoutTcpChecksum(Arrays.copyOfRange(frame, 14, 14 + TcpFrame.readU16(frame, 16))));
                    }
                }
                for (int i = 0; i < 2; i++) {
                    assertThat(atServers.get(i).frames.size()).as("frames at s%d", i + 1)
                            .isGreaterThanOrEqualTo(3 * perServer.get("s" + (i + 1)));
                    for (byte[] frame : atServers.get(i).frames) {
                        checkEncapsulated(frame, lab.serverIps.get(i), sent);
                    }
                }
            });

            // The answers: from the servers' own MACs, not the balancer's, with the VIP as source; their SYN-ACKs
            // carry the clamped MSS that leaves room for the outer header.
            Set<String> serverMacs = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                serverMacs.add(mac(lab.serverNs.get(i), "vs" + (i + 1)));
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Set<String> answeredFrom = new HashSet<>();
                int synAcks = 0;
                for (byte[] frame : atClient.frames) {
                    if (Ipv4.format(TcpFrame.readInt(frame, 14 + 12)).equals(lab.clientIp)) {
                        continue; // the client's own
                    }
                    assertThat(Ipv4.format(TcpFrame.readInt(frame, 14 + 12))).as("answer's source").isEqualTo(lab.vip);
                    answeredFrom.add(macAt(frame, 6));
                    if ((frame[14 + 20 + 13] & 0x12) == 0x12) {
                        assertThat(mss(frame)).as("MSS of a SYN-ACK").isEqualTo(DsrServerSetup.TUNNEL_MSS);
                        synAcks++;
                    }
                }
                assertThat(answeredFrom).as("the answers' source MACs").isEqualTo(serverMacs);
                assertThat(synAcks).as("SYN-ACKs").isGreaterThanOrEqualTo(100);
            });
        }
    }

    @Test
    @Order(2)
    void downloadsSeveralMegabytesIntactWhileTheBalancerSeesOnlyTheClientSide() throws Exception {
        Download d = checkDownloadIntact(TRANSFER);
        log.info("ipip: {} byte download: {} s; balancer received {} bytes, forwarded {} client packets", TRANSFER,
                String.format("%.2f", d.seconds()), d.balancerRxBytes(), d.delta(PassthroughCounters::packetsToServers));
        assertThat(d.balancerRxBytes()).as("bytes the balancer received").isLessThan(TRANSFER / 10);
        assertThat(d.delta(PassthroughCounters::packetsToServers)).as("client acknowledgements forwarded")
                .isGreaterThan(50);
        assertThat(d.after().packetsToClients()).isZero();
    }

    @Test
    @Order(3)
    void uploadsSeveralMegabytesIntactCutToFitTheTunnel() throws Exception {
        // captures that hold the whole upload, so that the check below sees every segment; 2048 bytes of each frame
        // show whether it is larger than the link allows
        int snaplen = 2048;
        int buffer = (int) (4 * TRANSFER);
        try (WireCapture s1 = new WireCapture(lab.serverNs.get(0), "vs1", "ip proto 4", snaplen, buffer);
             WireCapture s2 = new WireCapture(lab.serverNs.get(1), "vs2", "ip proto 4", snaplen, buffer)) {
            PassthroughCounters before = lab.plane.counters();
            PacketLab.Response r = lab.upload(TRANSFER);
            PassthroughCounters after = lab.plane.counters();
            log.info("ipip: {} byte upload to {}: counters={}", TRANSFER, r.server(), after);
            assertThat(r.bytes()).isEqualTo(TRANSFER);
            assertThat(r.crc()).isEqualTo(PacketLab.expectedCrc(TRANSFER));
            assertThat(after.bytesToServers() - before.bytesToServers()).isGreaterThanOrEqualTo(TRANSFER);
            assertThat(after.superFramesSegmented() - before.superFramesSegmented())
                    .as("the client's super-frames, cut by the balancer").isPositive();
            assertThat(after.superFramesWhole()).isZero();

            int index = Integer.parseInt(r.server().substring(1)) - 1;
            WireCapture atServer = List.of(s1, s2).get(index);
            String serverIp = lab.serverIps.get(index);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<byte[]> frames = List.copyOf(atServer.frames);
                long payload = 0;
                for (byte[] frame : frames) {
                    assertThat(frame.length).as("an encapsulated segment fits the link")
                            .isLessThanOrEqualTo(LARGEST_FRAME);
                    payload += innerPayload(frame, serverIp);
                }
                assertThat(payload).as("upload bytes inside IP-in-IP at " + r.server())
                        .isGreaterThanOrEqualTo(TRANSFER);
            });
        }
    }

    @Test
    @Order(4)
    void flowTableEmptiesWithNothingDropped() throws Exception {
        PassthroughCounters c = checkFlowTableEmptiesAfterConnectionsClose();
        log.info("ipip: final counters: {}", c);
        assertThat(c.drops()).allSatisfy((reason, count) -> assertThat(count).as("dropped: %s", reason).isZero());
        for (IpipTunnelStandIn tunnel : lab.tunnels) {
            assertThat(tunnel.socketDrops()).as("outer packets lost before decapsulation").isZero();
        }
        assertThat(c.packetsToClients()).isZero();
        assertThat(c.resetsSent()).isZero();
    }

    /**
     * Checks a frame captured at a server: IP-in-IP from the balancer to {@code serverIp}, and inside it a packet the
     * client sent to the VIP, unchanged but for its TCP checksum, which the client left to offload and the balancer
     * completed (an outer header hides the inner one from the devices' checksum offload).
     */
    private void checkEncapsulated(byte[] frame, String serverIp, Set<String> sentWithoutChecksum) {
        int outer = 14;
        assertThat(TcpFrame.readU16(frame, 12)).isEqualTo(TcpFrame.ETHERTYPE_IPV4);
        assertThat(frame[outer]).as("version and IHL").isEqualTo((byte) 0x45);
        assertThat(frame[outer + 9]).as("protocol").isEqualTo((byte) DsrRewriter.PROTOCOL_IPIP);
        assertThat(frame[outer + 8] & 0xFF).as("outer TTL").isEqualTo(DsrRewriter.OUTER_TTL);
        assertThat(TcpFrame.readU16(frame, outer + 6)).as("DF copied from the client's packet").isEqualTo(0x4000);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 12))).as("outer source: the balancer, not the VIP")
                .isEqualTo(lab.balancerIp);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 16))).isEqualTo(serverIp);
        assertThat(Checksums.ipv4HeaderValid(frame, outer, 20)).isTrue();
        int total = TcpFrame.readU16(frame, outer + 2);
        byte[] inner = Arrays.copyOfRange(frame, outer + 20, outer + total);
        int src = TcpFrame.readInt(inner, 12);
        int dst = TcpFrame.readInt(inner, 16);
        assertThat(Ipv4.format(dst)).isEqualTo(lab.vip);
        int tcp = (inner[0] & 0x0F) * 4;
        assertThat(Checksums.tcpValid(inner, src, dst, tcp, inner.length - tcp)).as("inner TCP checksum").isTrue();
        assertThat(sentWithoutChecksum).as("the inner packet is one the client sent, apart from its checksum")
                .contains(withoutTcpChecksum(inner));
    }

    /** The inner TCP payload length of an IP-in-IP frame from the balancer to {@code serverIp}, its checksum right. */
    private long innerPayload(byte[] frame, String serverIp) {
        int outer = 14;
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 12))).isEqualTo(lab.balancerIp);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 16))).isEqualTo(serverIp);
        int inner = outer + 20;
        int innerTotal = TcpFrame.readU16(frame, inner + 2);
        int tcp = inner + (frame[inner] & 0x0F) * 4;
        int tcpLength = inner + innerTotal - tcp;
        assertThat(Checksums.tcpValid(frame, TcpFrame.readInt(frame, inner + 12), TcpFrame.readInt(frame, inner + 16),
                tcp, tcpLength)).as("inner TCP checksum").isTrue();
        return tcpLength - ((frame[tcp + 12] & 0xF0) >> 2);
    }

    /** An IPv4 packet in hex, its TCP checksum field zeroed. */
    private static String withoutTcpChecksum(byte[] packet) {
        byte[] copy = packet.clone();
        int checksum = (copy[0] & 0x0F) * 4 + 16;
        copy[checksum] = 0;
        copy[checksum + 1] = 0;
        return HexFormat.of().formatHex(copy);
    }

    /** The MSS option of a SYN-ACK frame, or -1. */
    private static int mss(byte[] frame) {
        int tcp = 14 + (frame[14] & 0x0F) * 4;
        int end = tcp + ((frame[tcp + 12] & 0xF0) >> 2);
        for (int at = tcp + 20; at < end; ) {
            int kind = frame[at] & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            if (kind == 2) {
                return TcpFrame.readU16(frame, at + 2);
            }
            at += frame[at + 1] & 0xFF;
        }
        return -1;
    }

    private String mac(String ns, String device) throws Exception {
        return lab.namespaces.exec(ns, "cat", "/sys/class/net/" + device + "/address").strip();
    }

    private static String macAt(byte[] frame, int at) {
        StringBuilder out = new StringBuilder();
        for (int i = at; i < at + 6; i++) {
            out.append(i > at ? ":" : "").append(String.format("%02x", frame[i] & 0xFF));
        }
        return out.toString();
    }
}
