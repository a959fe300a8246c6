package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.List;
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
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.0.10 and dst portrange 33768-61000))");
    }

    @Test
    void workersShareByClientPortAndByEphemeralPort() throws Exception {
        assertThat(CaptureFilter.forWorker(web(), 1, 3)).isEqualTo(
                "tcp and ((dst host 10.0.0.10 and dst port 80 and tcp[0:2] % 3 = 1)"
                + " or (src host 10.0.1.1 and src port 8080 and dst host 10.0.0.10 and dst portrange 33768-61000"
                + " and tcp[2:2] % 3 = 1))");
    }

    @Test
    void dsrFrontendsCaptureClientSegmentsOnly() throws Exception {
        List<PassthroughFrontend> dsr = List.of(new PassthroughFrontend("web",
                (Inet4Address) Inet4Address.getByName("10.0.0.10"), 80, List.of(S1), new TestScheduler(List.of(S1)),
                Delivery.DSR_L2));
        assertThat(CaptureFilter.forWorker(dsr, 0, 2))
                .isEqualTo("tcp and ((dst host 10.0.0.10 and dst port 80 and tcp[0:2] % 2 = 0))");
        assertThat(FirewallSetup.report(FirewallSetup.rulesFor(dsr)))
                .isEqualTo("iptables -t raw -A PREROUTING -p tcp -d 10.0.0.10 --dport 80 -j DROP");
    }

    @Test
    void noFrontendsCaptureNothing() {
        assertThat(CaptureFilter.forWorker(List.of(), 0, 1)).isEqualTo(CaptureFilter.NOTHING);
    }
}
