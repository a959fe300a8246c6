package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checks connect from the configured local address and port range, as passthrough checks from the VIP. */
class BindToTest {
    private static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMillis(50), Duration.ofSeconds(1), 1, 1);

    @Test
    void checksReuseTheFirstFreePortOfTheRange() throws IOException {
        InetAddress local = InetAddress.getByName("127.0.0.2");
        Recorder recorder = new Recorder();
        try (ServerSocket busy = new ServerSocket(0, 1, local); TestServer server = TestServer.start();
                HealthChecker checker = new HealthChecker(recorder)) {
            int firstPort = busy.getLocalPort();
            checker.bindTo(local, firstPort, firstPort + 1);
            checker.update(Map.of(new HealthTarget("web", "a", server.address()), POLICY));

            await().atMost(Duration.ofSeconds(2)).until(() -> server.accepted() >= 3);

            assertThat(server.peers().subList(0, 3)).containsOnly(new InetSocketAddress(local, firstPort + 1));
            assertThat(recorder.changes().getFirst().status().up()).isTrue();
        }
    }

    @Test
    void noFreePortFailsTheCheck() throws IOException {
        InetAddress local = InetAddress.getByName("127.0.0.2");
        Recorder recorder = new Recorder();
        try (ServerSocket busy = new ServerSocket(0, 1, local); TestServer server = TestServer.start();
                HealthChecker checker = new HealthChecker(recorder)) {
            checker.bindTo(local, busy.getLocalPort(), busy.getLocalPort());
            checker.update(Map.of(new HealthTarget("web", "a", server.address()), POLICY));

            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() == 1);

            assertThat(recorder.changes().getFirst().transition().reason()).isEqualTo("first check: local bind failed");
            assertThat(server.accepted()).isZero();
        }
    }

    @Test
    void checksConnectFromTheBoundAddressOfTheirTargetsFamily() throws IOException {
        InetAddress v4 = InetAddress.getByName("127.0.0.2");
        InetAddress v6 = InetAddress.getByName("::1");
        Recorder recorder = new Recorder();
        try (ServerSocket server6 = new ServerSocket(0, 50, v6); TestServer server4 = TestServer.start();
                HealthChecker checker = new HealthChecker(recorder)) {
            checker.bindTo(List.of(v4, v6), 0, 0);
            checker.update(Map.of(new HealthTarget("web", "a", server4.address()), POLICY,
                    new HealthTarget("web6", "b", new InetSocketAddress(v6, server6.getLocalPort())), POLICY));
            server6.setSoTimeout(2000);
            try (Socket accepted = server6.accept()) {
                assertThat(accepted.getInetAddress()).isEqualTo(v6);
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> server4.accepted() >= 1);
            assertThat(server4.peers().getFirst().getAddress()).isEqualTo(v4);
            await().atMost(Duration.ofSeconds(2)).until(() -> recorder.size() >= 2);
            assertThat(recorder.changes()).allMatch(c -> c.status().up());
        }
    }
}
