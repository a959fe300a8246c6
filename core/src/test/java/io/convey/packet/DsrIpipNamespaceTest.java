package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DSR ipip on the wire. This kernel has no ipip device, so the servers cannot decapsulate and no connection
 * completes: instead of the round trip, the test captures in each server's namespace what arrives and checks the
 * outer header (balancer to server, protocol 4) and that the inner packet is, byte for byte, what the client sent.
 * The servers run every setup command except the two that need the device ({@code modprobe ipip}, tunl0).
 */
class DsrIpipNamespaceTest {
    private static final Logger log = LoggerFactory.getLogger(DsrIpipNamespaceTest.class);
    private static final int CONNECTIONS = 20;

    @Test
    void clientSegmentsReachEachServerInsideIpInIpUnchanged() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.DSR_IPIP).serverPort(PacketLab.VIP_PORT).withoutHttpServers()
                .serverSetup(line -> !line.startsWith("modprobe") && !line.contains("tunl0")).start()) {
            assertThat(lab.namespaces.exec(lab.serverNs.get(0), "nft", "list", "ruleset"))
                    .contains("tcp option maxseg size set 1440");
            List<WireCapture> atServers = new ArrayList<>();
            WireCapture atClient = null;
            List<SocketChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    atServers.add(new WireCapture(lab.serverNs.get(i), "vs" + (i + 1), "ip proto 4"));
                }
                atClient = new WireCapture(lab.client, "vc", "tcp and dst host " + lab.vip + " and dst port 80");
                for (int i = 0; i < CONNECTIONS; i++) {
                    channels.add(lab.inClient(() -> {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.connect(new InetSocketAddress(lab.vip, PacketLab.VIP_PORT)); // sends the SYN, no wait
                        return ch;
                    }));
                }
                WireCapture client = atClient;
                // Captures are read on their own threads: retry until each server frame's inner packet has shown
                // up at the client too (SYN retransmissions differ in IP id and timestamp, so compare whole packets).
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    assertThat(atServers.stream().mapToInt(c -> c.frames.size()).sum())
                            .isGreaterThanOrEqualTo(CONNECTIONS);
                    List<byte[]> sent = client.frames.stream()
                            .map(f -> Arrays.copyOfRange(f, 14, 14 + TcpFrame.readU16(f, 16))).toList();
                    for (int i = 0; i < 2; i++) {
                        assertThat(atServers.get(i).frames).as("frames at s%d", i + 1).isNotEmpty();
                        for (byte[] frame : atServers.get(i).frames) {
                            checkEncapsulated(frame, lab, lab.serverIps.get(i), sent);
                        }
                    }
                });
                PassthroughCounters c = lab.plane.counters();
                log.info("ipip: frames at servers {} / {}, counters={}", atServers.get(0).frames.size(),
                        atServers.get(1).frames.size(), c);
                assertThat(c.packetsToServers()).isGreaterThanOrEqualTo(CONNECTIONS);
                assertThat(c.packetsToClients()).isZero();
                assertThat(c.dropped(DropReason.SEND_FAILED)).isZero();
            } finally {
                for (SocketChannel ch : channels) {
                    ch.close();
                }
                for (WireCapture capture : atServers) {
                    capture.close();
                }
                if (atClient != null) {
                    atClient.close();
                }
            }
        }
    }

    private static void checkEncapsulated(byte[] frame, PacketLab lab, String serverIp, List<byte[]> sent) {
        int outer = 14;
        assertThat(TcpFrame.readU16(frame, 12)).isEqualTo(TcpFrame.ETHERTYPE_IPV4);
        assertThat(frame[outer]).as("version and IHL").isEqualTo((byte) 0x45);
        assertThat(frame[outer + 9]).as("protocol").isEqualTo((byte) DsrRewriter.PROTOCOL_IPIP);
        assertThat(frame[outer + 8] & 0xFF).as("outer TTL").isEqualTo(DsrRewriter.OUTER_TTL);
        assertThat(TcpFrame.readU16(frame, outer + 6)).as("DF copied from the client's SYN").isEqualTo(0x4000);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 12))).as("outer source: the balancer, not the VIP")
                .isEqualTo(lab.balancerIp);
        assertThat(Ipv4.format(TcpFrame.readInt(frame, outer + 16))).isEqualTo(serverIp);
        assertThat(Checksums.ipv4HeaderValid(frame, outer, 20)).isTrue();
        int total = TcpFrame.readU16(frame, outer + 2);
        byte[] inner = Arrays.copyOfRange(frame, outer + 20, outer + total);
        assertThat(Ipv4.format(TcpFrame.readInt(inner, 16))).isEqualTo(lab.vip);
        assertThat(sent).as("the inner packet is one the client sent, unchanged")
                .anyMatch(packet -> Arrays.equals(packet, inner));
    }
}
