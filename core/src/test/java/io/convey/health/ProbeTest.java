package io.convey.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void reachableServer() throws IOException {
        try (TestServer server = TestServer.start()) {
            ProbeResult result = HealthChecker.probe(server.address(), Duration.ofSeconds(3));

            assertThat(result.reachable()).isTrue();
            assertThat(result.error()).isNull();
            assertThat(result.latency()).isPositive();
        }
    }

    @Test
    void closedPortIsRefused() throws IOException {
        try (TestServer server = TestServer.start()) {
            server.stop();

            ProbeResult result = HealthChecker.probe(server.address(), Duration.ofSeconds(3));

            assertThat(result).extracting(ProbeResult::reachable, ProbeResult::error)
                    .containsExactly(false, "connect refused");
        }
    }

    @Test
    void fullAcceptQueueTimesOut() throws IOException {
        try (Blackhole blackhole = new Blackhole()) {
            ProbeResult result = HealthChecker.probe(blackhole.address(), Duration.ofMillis(300));

            assertThat(result.error()).isEqualTo("timeout after 300 ms");
            // The kernel's timer may fire a fraction of a millisecond early; the point is that it waited.
            assertThat(result.latency()).isGreaterThan(Duration.ofMillis(250));
        }
    }

    @Test
    void rejectsATimeoutBelowOneMillisecond() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9);

        assertThatThrownBy(() -> HealthChecker.probe(address, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout: 0 ms (expected: 1-2147483647 ms)");
    }

    @Test
    void reasonsFollowTheExceptionTypeNotItsText() {
        Duration timeout = Duration.ofMillis(3000);

        assertThat(TcpProbe.reason(new SocketTimeoutException("Connection refused"), timeout))
                .isEqualTo("timeout after 3000 ms");
        assertThat(TcpProbe.reason(new ConnectException("timed out"), timeout)).isEqualTo("connect refused");
        assertThat(TcpProbe.reason(new NoRouteToHostException(), timeout)).isEqualTo("no route to host");
        assertThat(TcpProbe.reason(new BindException(), timeout)).isEqualTo("local bind failed");
        assertThat(TcpProbe.reason(new SocketException(), timeout)).isEqualTo("socket error");
        assertThat(TcpProbe.reason(new IOException(), timeout)).isEqualTo("i/o error (IOException)");
    }
}
