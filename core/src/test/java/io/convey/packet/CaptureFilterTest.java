package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.junit.jupiter.api.Test;

class CaptureFilterTest {
    static final ServerRef S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 8080);

    static List<PassthroughFrontend> web() throws Exception {
        return List.of(new PassthroughFrontend("web", (Inet4Address) Inet4Address.getByName("10.0.0.10"), 80,
                List.of(S1, S1), new TestScheduler(List.of(S1))));
    }

    @Test
    void oneWorkerCapturesTheVipAndTheRepliesToEphemeralPorts() throws Exception {
        assertThat(CaptureFilter.forWorker(web(), 0, 1)).isEqualTo("tcp and ((dst host 10.0.0.10 and dst port 80)"
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.0.10 and dst portrange 32768-65535))");
    }

    @Test
    void workersShareClientsByAHashOfTheirPortAndRepliesByTheSameHashOfTheirDestinationPort() throws Exception {
        assertThat(CaptureFilter.forWorker(web(), 1, 3)).isEqualTo(
                "tcp and ((dst host 10.0.0.10 and dst port 80 and ((tcp[0:2] * 2654435761) >> 16) % 3 = 1)"
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.0.10 and dst portrange 32768-65535"
                + " and ((tcp[2:2] * 2654435761) >> 16) % 3 = 1))");
    }

    @Test
    void theKernelFilterPicksTheWorkerThatTheJavaHashNames() throws Exception {
        record Client(String ip, int port, int workers, int worker) {}
        List<Client> table = List.of( // (port * 0x9E3779B1 >>> 16) % workers
                new Client("10.0.2.1", 40000, 2, 0), new Client("10.0.2.1", 40002, 2, 1),
                new Client("10.0.2.1", 40004, 2, 0), new Client("10.0.2.2", 40001, 2, 1),
                new Client("192.168.7.9", 55555, 4, 1), new Client("172.16.0.1", 50000, 3, 0));
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536)) {
            for (Client c : table) {
                assertThat(CaptureFilter.workerOfPort(c.port(), c.workers())).as("%s", c).isEqualTo(c.worker());
                byte[] segment = FrameBuilder.tcp(c.ip(), c.port(), "10.0.0.10", 80).flags(TcpFrame.SYN).frame();
                // the server's reply to the same port, which the flow keeps (PortAllocator)
                byte[] reply = FrameBuilder.tcp("10.0.1.1", 8080, "10.0.0.10", c.port())
                        .flags(TcpFrame.SYN | TcpFrame.ACK).frame();
                for (int w = 0; w < c.workers(); w++) {
                    BpfProgram filter = dead.compileFilter(CaptureFilter.forWorker(web(), w, c.workers()),
                            BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
                    assertThat(filter.applyFilter(segment)).as("%s, worker %d", c, w).isEqualTo(w == c.worker());
                    assertThat(filter.applyFilter(reply)).as("reply %s, worker %d", c, w).isEqualTo(w == c.worker());
                    filter.free();
                }
            }
        }
    }

    @Test
    void evenClientPortsSpreadOverBothWorkers() {
        int[] perWorker = new int[2];
        for (int port = 32768; port < 33768; port += 2) { // what Linux's connect() prefers
            perWorker[CaptureFilter.workerOfPort(port, 2)]++;
        }
        assertThat(perWorker[0]).isBetween(200, 300); // of 500
        assertThat(perWorker[1]).isBetween(200, 300);
    }

    @Test
    void dsrFrontendsCaptureClientSegmentsOnly() throws Exception {
        List<PassthroughFrontend> dsr = List.of(new PassthroughFrontend("web",
                (Inet4Address) Inet4Address.getByName("10.0.0.10"), 80, List.of(S1), new TestScheduler(List.of(S1)),
                Delivery.DSR_L2));
        assertThat(CaptureFilter.forWorker(dsr, 0, 2))
                .isEqualTo("tcp and ((dst host 10.0.0.10 and dst port 80 and ((tcp[0:2] * 2654435761) >> 16) % 2 = 0))");
        assertThat(FirewallSetup.report(FirewallSetup.rulesFor(dsr)))
                .isEqualTo("iptables -t raw -A PREROUTING -p tcp -d 10.0.0.10 --dport 80 -j DROP");
    }

    @Test
    void noFrontendsCaptureNothing() {
        assertThat(CaptureFilter.forWorker(List.of(), 0, 1)).isEqualTo(CaptureFilter.NOTHING);
    }

    static final ServerRef S6 = PassthroughIpv6ForwarderTest.server("s6", "fd00:1::4");

    /** An IPv4 and an IPv6 frontend side by side. */
    static List<PassthroughFrontend> dualStack() throws Exception {
        return List.of(web().getFirst(), new PassthroughFrontend("web6", InetAddress.getByName("fd00:1::10"), 80,
                List.of(S6), new TestScheduler(List.of(S6))));
    }

    @Test
    void ipv6FrontendsCaptureByIp6ClausesAndShardByTheTcpPortsAfterTheFixedHeader() throws Exception {
        assertThat(CaptureFilter.forWorker(dualStack(), 1, 2)).isEqualTo(
                "tcp and ((dst host 10.0.0.10 and dst port 80 and ((tcp[0:2] * 2654435761) >> 16) % 2 = 1)"
                + " or (ip6 and dst host fd00:1::10 and dst port 80 and ((ip6[40:2] * 2654435761) >> 16) % 2 = 1)"
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.0.10 and dst portrange 32768-65535"
                + " and ((tcp[2:2] * 2654435761) >> 16) % 2 = 1)"
                + " or (ip6 and src host fd00:1::4 and src port 8080 and dst host fd00:1::10"
                + " and dst portrange 32768-65535 and ((ip6[42:2] * 2654435761) >> 16) % 2 = 1))");
        assertThat(FirewallSetup.report(FirewallSetup.rulesFor(dualStack()))).isEqualTo(
                "iptables -t raw -A PREROUTING -p tcp -d 10.0.0.10 --dport 80 -j DROP\n"
                + "iptables -t raw -A PREROUTING -p tcp -s 10.0.1.1 --sport 8080 -d 10.0.0.10 --dport 32768:65535"
                + " -j DROP\n"
                + "ip6tables -t raw -A PREROUTING -p tcp -d fd00:1::10 --dport 80 -j DROP\n"
                + "ip6tables -t raw -A PREROUTING -p tcp -s fd00:1::4 --sport 8080 -d fd00:1::10 --dport 32768:65535"
                + " -j DROP");
    }

    @Test
    void theKernelFilterPicksTheWorkerThatTheJavaHashNamesForIpv6() throws Exception {
        record Client(String ip, int port, int workers) {}
        List<Client> table = List.of(new Client("fd00:2::1", 40000, 2), new Client("fd00:2::1", 40002, 2),
                new Client("fd00:2::2", 40001, 2), new Client("fd00:9::9", 55555, 4), new Client("fd00:3::1", 50000, 3));
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536)) {
            for (Client c : table) {
                int worker = CaptureFilter.workerOfPort(c.port(), c.workers());
                byte[] segment = FrameBuilder.tcp6(c.ip(), c.port(), "fd00:1::10", 80).flags(TcpFrame.SYN).frame();
                byte[] reply = FrameBuilder.tcp6("fd00:1::4", 8080, "fd00:1::10", c.port())
                        .flags(TcpFrame.SYN | TcpFrame.ACK).frame();
                byte[] otherVip = FrameBuilder.tcp6(c.ip(), c.port(), "fd00:1::11", 80).flags(TcpFrame.SYN).frame();
                byte[] otherServer = FrameBuilder.tcp6("fd00:1::5", 8080, "fd00:1::10", c.port())
                        .flags(TcpFrame.SYN | TcpFrame.ACK).frame();
                // an IPv4 frame to the IPv6 frontend's port on the IPv4 VIP still goes by the IPv4 hash
                byte[] ipv4 = FrameBuilder.tcp("10.0.2.1", c.port(), "10.0.0.10", 80).flags(TcpFrame.SYN).frame();
                for (int w = 0; w < c.workers(); w++) {
                    BpfProgram filter = dead.compileFilter(CaptureFilter.forWorker(dualStack(), w, c.workers()),
                            BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
                    assertThat(filter.applyFilter(segment)).as("%s, worker %d", c, w).isEqualTo(w == worker);
                    assertThat(filter.applyFilter(reply)).as("reply %s, worker %d", c, w).isEqualTo(w == worker);
                    assertThat(filter.applyFilter(ipv4)).as("ipv4 %s, worker %d", c, w).isEqualTo(w == worker);
                    assertThat(filter.applyFilter(otherVip)).as("other VIP %s", c).isFalse();
                    assertThat(filter.applyFilter(otherServer)).as("other server %s", c).isFalse();
                    filter.free();
                }
            }
        }
    }

    @Test
    void udpFrontendsCaptureDatagramsAndRepliesAndEachWorkerItsShare() throws Exception {
        List<PassthroughFrontend> frontends = List.of(web().getFirst(), new PassthroughFrontend("dns",
                InetAddress.getByName("10.0.0.10"), 53, List.of(S1), new TestScheduler(List.of(S1)), Delivery.PASSTHROUGH,
                InetAddress.getByName("10.0.0.10"), Transport.udp(java.time.Duration.ofSeconds(30))));
        assertThat(CaptureFilter.forWorker(frontends, 0, 1)).isEqualTo("(tcp and ((dst host 10.0.0.10 and dst port 80)"
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.0.10 and dst portrange 32768-65535)))"
                + " or (udp and ((dst host 10.0.0.10 and dst port 53) or (src host 10.0.1.1 and src port 8080 and dst"
                + " host 10.0.0.10 and dst portrange 32768-65535)))");
        try (PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, 65536)) {
            byte[] query = FrameBuilder.udp("10.0.2.1", 40002, "10.0.0.10", 53).payload("q").frame();
            byte[] answer = FrameBuilder.udp("10.0.1.1", 8080, "10.0.0.10", 40002).payload("a").frame();
            byte[] tcpTo53 = FrameBuilder.tcp("10.0.2.1", 40002, "10.0.0.10", 53).frame();
            int owner = CaptureFilter.workerOfPort(40002, 2);
            for (int w = 0; w < 2; w++) {
                BpfProgram filter = dead.compileFilter(CaptureFilter.forWorker(frontends, w, 2),
                        BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
                assertThat(filter.applyFilter(query)).as("worker %d", w).isEqualTo(w == owner);
                assertThat(filter.applyFilter(answer)).as("worker %d", w).isEqualTo(w == owner);
                assertThat(filter.applyFilter(tcpTo53)).as("TCP to the UDP frontend's port").isFalse();
                filter.free();
            }
        }
        assertThat(FirewallSetup.rulesFor(frontends.subList(1, 2))).extracting(FirewallSetup.Rule::addCommand)
                .containsExactly("iptables -t raw -A PREROUTING -p udp -d 10.0.0.10 --dport 53 -j DROP",
                        "iptables -t raw -A PREROUTING -p udp -s 10.0.1.1 --sport 8080 -d 10.0.0.10 --dport 32768:65535"
                                + " -j DROP");
    }
}
