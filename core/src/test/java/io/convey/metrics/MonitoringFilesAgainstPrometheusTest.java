package io.convey.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.MonitoringFiles;
import io.convey.testing.NamedServer;
import io.convey.testing.PrometheusServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped dashboard and alert rules (docs/monitoring) against Debian's Prometheus scraping a running appliance
 * in proxy mode: the rules pass promtool, and every expression returns series. The packet-mode expressions
 * ({@code convey_packet_*}) are valid here and return series in {@code PacketMetricsAgainstPrometheusNamespaceTest}.
 */
class MonitoringFilesAgainstPrometheusTest {

    @Test
    void everyPanelAndAlertExpressionReturnsSeries(@TempDir Path dir) throws Exception {
        assertThat(PrometheusServer.checkRules(MonitoringFiles.RULES)).contains("SUCCESS: 8 rules found");
        int refused = Tcp.freeLoopbackPort(); // nothing listens there
        Path daemonDir = Files.createDirectories(dir.resolve("daemon"));
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(daemonDir, MetricsEndpointTest.config(a.addr(),
                        "127.0.0.1:" + refused) + """
                        [notify.hooks.ops]
                        url = "http://127.0.0.1:%d/hook"
                        [admin]
                        protect_metrics = true
                        """.formatted(refused));
                PrometheusServer prometheus = PrometheusServer.start(dir, List.of(), freeLoopbackPort(),
                        scrapeJob(daemon, dir), List.of(MonitoringFiles.RULES), Thread.ofPlatform().daemon().factory())) {
            assertThat(daemon.send("GET", "/metrics", null, null).statusCode()).as("protect_metrics").isEqualTo(401);
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket()) {
                    s.connect(daemon.frontend("f"));
                    s.getInputStream().readNBytes(2);
                }
            }
            // Enough scrapes for rate() and increase() over a minute.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                    prometheus.query("count_over_time(convey_build_info{job=\"convey\"}[1m])").get(0).at("/value/1")
                            .asDouble()).isGreaterThanOrEqualTo(3));
            assertThat(prometheus.query("up{job=\"convey\"}").get(0).at("/value/1").asText()).isEqualTo("1");

            List<String> empty = new ArrayList<>();
            Map<String, String> expressions = new java.util.LinkedHashMap<>();
            MonitoringFiles.panelExpressions("convey").forEach((name, expr) -> expressions.put("panel " + name, expr));
            MonitoringFiles.alertExpressions().forEach((name, expr) -> expressions.put("alert " + name, expr));
            assertThat(expressions).hasSizeGreaterThanOrEqualTo(19 + 7);
            expressions.forEach((name, expr) -> {
                boolean packetOnly = expr.contains("convey_packet_");
                if (prometheus.query(expr).isEmpty() != packetOnly) {
                    empty.add(name + ": " + expr);
                }
            });
            assertThat(empty).as("expressions without series (or packet-mode ones with series in proxy mode)")
                    .isEmpty();
            // The rules loaded and evaluate without error.
            assertThat(prometheus.get("/api/v1/rules").at("/data/groups/0/rules").findValuesAsText("health"))
                    .hasSize(8).containsOnly("ok");
        }
    }

    /** As docs/monitoring/prometheus.yml: HTTPS with the admin's certificate as CA, a bearer token from a file. */
    static String scrapeJob(RunningDaemon daemon, Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("metrics.token"), daemon.userToken("prometheus", "viewer"));
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        InetSocketAddress admin = daemon.daemon().adminAddress();
        return """
                  - job_name: convey
                    scheme: https
                    tls_config:
                      ca_file: %s
                    authorization:
                      type: Bearer
                      credentials_file: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(daemon.certificateFile(), token, admin.getPort());
    }

    static InetSocketAddress freeLoopbackPort() {
        return new InetSocketAddress("127.0.0.1", Tcp.freeLoopbackPort());
    }
}
