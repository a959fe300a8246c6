package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
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
}
