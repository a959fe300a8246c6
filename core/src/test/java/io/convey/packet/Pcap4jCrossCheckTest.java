package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IpV4Packet;
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
}
