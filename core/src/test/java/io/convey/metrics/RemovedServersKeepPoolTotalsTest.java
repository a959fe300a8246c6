package io.convey.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool's totals equal the sum of its servers' series, before and after a server leaves the configuration. */
class RemovedServersKeepPoolTotalsTest {

    @Test
    void aRemovedServersTotalsMoveToTheRemovedSeries(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir,
                        MetricsEndpointTest.config(a.addr(), b.addr()).replace("state = \"drain\"", ""))) {
            for (int i = 0; i < 10; i++) {
                try (Socket s = new Socket()) {
                    s.connect(daemon.frontend("f"));
                    s.getOutputStream().write(new byte[100]);
                    s.getInputStream().readNBytes(2 + 100);
                }
            }
            await().untilAsserted(() -> {
                Exposition m = Exposition.parse(MetricsEndpointTest.scrape(daemon, null).body());
                assertThat(m.value("convey_server_connections_current", "server", "b")).isZero();
                assertThat(m.value("convey_server_connections_total", "server", "b")).isPositive();
                assertTotalsAgree(m);
            });
            double fromB = Exposition.parse(MetricsEndpointTest.scrape(daemon, null).body())
                    .value("convey_server_connections_total", "server", "b");

            String without = daemon.configText().replaceAll("(?s)\\[backends\\.p\\.servers\\.b]\\naddr = \"[^\"]+\"\\n", "");
            daemon.rewrite(without);
            assertThat(daemon.daemon().reloadFromFile("file").ok()).isTrue();

            Exposition m = Exposition.parse(MetricsEndpointTest.scrape(daemon, null).body());
            assertThat(m.find("convey_server_connections_total", "server", "b")).isEmpty();
            assertThat(m.value("convey_server_connections_total", "server", "(removed)")).isEqualTo(fromB);
            assertThat(m.value("convey_pool_connections_total", "pool", "p")).isEqualTo(10);
            assertTotalsAgree(m);
        }
    }

    private static void assertTotalsAgree(Exposition m) {
        for (String counter : new String[] {"connections_total", "bytes_tx_total", "bytes_rx_total"}) {
            assertThat(m.sum("convey_server_" + counter, "pool", "p"))
                    .as(counter).isEqualTo(m.value("convey_pool_" + counter, "pool", "p"));
        }
        assertThat(m.sum("convey_server_connection_duration_seconds_count", "pool", "p"))
                .isEqualTo(m.value("convey_pool_connections_total", "pool", "p"));
    }
}
