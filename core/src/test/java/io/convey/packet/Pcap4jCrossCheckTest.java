package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import java.net.InetAddress;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;

/** pcap4j, an independent implementation, agrees that rewritten packets carry valid checksums. */
class Pcap4jCrossCheckTest {

    @Test
    void rewrittenPacketsHaveValidChecksumsForPcap4j() throws Exception {
        ServerRef server = new ServerRef("s1", FrameBuilder.ip("172.16.9.200"), 443);
        TestScheduler scheduler = new TestScheduler(List.of(server));
        WorkerCounters counters = new WorkerCounters();
        Forwarder forwarder = new Forwarder(
                new FlowTable(4096, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters), counters, true,
                Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("tls",
                (Inet4Address) Inet4Address.getByName("203.0.113.7"), 443, List.of(server), scheduler)));
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            String client = "198.51." + random.nextInt(256) + "." + random.nextInt(256);
            char[] text = new char[random.nextInt(300)];
            Arrays.fill(text, (char) ('a' + random.nextInt(26)));
            byte[] frame = FrameBuilder.tcp(client, 1024 + random.nextInt(60000), "203.0.113.7", 443)
                    .flags(TcpFrame.SYN).seq(random.nextInt()).payload(new String(text)).frame();
            assertThat(forwarder.process(frame, frame.length, i)).isEqualTo(Verdict.FORWARD_TO_SERVER);

            IpV4Packet ip = IpV4Packet.newPacket(frame, forwarder.outputOffset(), forwarder.outputLength());
            TcpPacket tcp = ip.get(TcpPacket.class);
            assertThat(ip.getHeader().hasValidChecksum(false)).isTrue();
            assertThat(tcp.hasValidChecksum(ip.getHeader().getSrcAddr(), ip.getHeader().getDstAddr(), false)).isTrue();
            assertThat(ip.getHeader().getDstAddr().getHostAddress()).isEqualTo("172.16.9.200");
            assertThat(tcp.getHeader().getDstPort().valueAsInt()).isEqualTo(443);
        }
    }

    @Test
    void rewrittenIpv6PacketsAndResetsHaveValidChecksumsForPcap4j() throws Exception {
        ServerRef server = ServerRef.of("s1", InetAddress.getByName("2001:db8:5::c8"), 8443);
        TestScheduler scheduler = new TestScheduler(List.of(server));
        WorkerCounters counters = new WorkerCounters();
        Forwarder forwarder = new Forwarder(
                new FlowTable(4096, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters), counters, true,
                Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("tls", InetAddress.getByName("2001:db8:71::7"), 443,
                List.of(server), scheduler)));
        Random random = new Random(2);
        for (int i = 0; i < 2000; i++) {
            String client = "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + "::"
                    + Integer.toHexString(random.nextInt(0x10000)) + ":" + Integer.toHexString(random.nextInt(0x10000));
            char[] text = new char[random.nextInt(300)];
            Arrays.fill(text, (char) ('a' + random.nextInt(26)));
            boolean synOpens = i % 4 != 3; // every fourth segment has no flow and is answered with a reset
            int clientPort = 1024 + random.nextInt(60000);
            byte[] frame = FrameBuilder.tcp6(client, clientPort, "2001:db8:71::7", 443)
                    .flags(synOpens ? TcpFrame.SYN : TcpFrame.ACK).seq(random.nextInt()).ack(random.nextInt())
                    .payload(new String(text)).frame();
            Verdict verdict = forwarder.process(frame, frame.length, i);
            assertThat(verdict).isEqualTo(synOpens ? Verdict.FORWARD_TO_SERVER : Verdict.RST_TO_CLIENT);

            IpV6Packet ip = IpV6Packet.newPacket(frame, forwarder.outputOffset(), forwarder.outputLength());
            TcpPacket tcp = ip.get(TcpPacket.class);
            assertThat(tcp.hasValidChecksum(ip.getHeader().getSrcAddr(), ip.getHeader().getDstAddr(), false)).isTrue();
            String destination = synOpens ? "2001:db8:5:0:0:0:0:c8" : InetAddress.getByName(client).getHostAddress();
            assertThat(ip.getHeader().getDstAddr().getHostAddress()).isEqualTo(destination);
            assertThat(tcp.getHeader().getDstPort().valueAsInt()).isEqualTo(synOpens ? 8443 : clientPort);
        }
    }
}
