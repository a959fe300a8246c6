package io.convey.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hook whose receiver is down: each notification gets max_attempts tries, is counted as failed, traffic flows. */
class AReceiverThatIsDownCostsBoundedRetriesTest {

    @Test
    void failuresAreCountedInStatusAndMetricsAndTheDaemonKeepsServing(@TempDir Path dir) throws Exception {
        int closedPort = Tcp.freeLoopbackPort(); // nothing listens there
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, WebhooksTest.config(a.addr(), """
                        [notify]
                        max_attempts = 2
                        timeout_ms = 1000
                        queue_capacity = 1
                        [notify.hooks.down]
                        url = "http://127.0.0.1:%d/hook"
                        events = ["config_applied"]
                        """.formatted(closedPort)))) {
            daemon.rewrite(daemon.configText().replace("fall = 1", "fall = 2"));
            assertThat(daemon.daemon().reloadFromFile("file").ok()).isTrue();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode hook = daemon.getJson("/api/v1/status").at("/notify/hooks/down");
                assertThat(hook.get("failed").asLong()).isEqualTo(1);
                assertThat(hook.get("retries").asLong()).as("max_attempts = 2").isEqualTo(1);
                assertThat(hook.get("delivered").asLong()).isZero();
                assertThat(hook.get("last_error").asText()).contains("ConnectException");
                assertThat(hook.get("url").asText()).endsWith(closedPort + "/hook");
            });
            String metrics = daemon.get("/metrics").body();
            assertThat(metrics).contains("convey_notify_failed_total{hook=\"down\"} 1")
                    .contains("convey_notify_retries_total{hook=\"down\"} 1");

            // Nothing more is attempted for that notification, and traffic is unaffected.
            JsonNode after = daemon.getJson("/api/v1/status").at("/notify/hooks/down");
            assertThat(after.get("retries").asLong()).isEqualTo(1);
            try (Socket s = new Socket()) {
                s.connect(daemon.frontend("f"));
                assertThat(new String(s.getInputStream().readNBytes(2))).isEqualTo("a\n");
            }

            // A burst beyond the queue (1 waiting, 1 in delivery): the rest are dropped and counted.
            for (int i = 3; i <= 8; i++) {
                daemon.rewrite(daemon.configText().replaceAll("fall = \\d+", "fall = " + i));
                assertThat(daemon.daemon().reloadFromFile("file").ok()).isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode hook = daemon.getJson("/api/v1/status").at("/notify/hooks/down");
                assertThat(hook.get("dropped").asLong()).isPositive();
                assertThat(hook.get("queued").asLong()).isZero();
                assertThat(hook.get("failed").asLong() + hook.get("dropped").asLong()).isEqualTo(7);
                assertThat(hook.get("retries").asLong()).isEqualTo(hook.get("failed").asLong());
            });
        }
    }
}
