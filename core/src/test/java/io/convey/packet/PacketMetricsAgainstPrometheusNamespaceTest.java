package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.MonitoringFiles;
import io.convey.testing.PrometheusServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packet-mode expressions of the shipped dashboard and alert rules (docs/monitoring) against Debian's
 * Prometheus, run in the balancer's namespace and scraping {@code convey -p} there: each returns series.
 */
class PacketMetricsAgainstPrometheusNamespaceTest {

    @Test
    void packetPanelsAndTheDropAlertReturnSeries(@TempDir Path dir) throws Exception {
        Path daemonDir = Files.createDirectories(dir.resolve("daemon"));
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).serverPort(PacketModesRunAsADaemonProcessTest.SERVER_PORT)
                .balancerAsProcess().start();
                DaemonProcess daemon = DaemonProcess.start(lab.balancer, daemonDir,
                        PacketModesRunAsADaemonProcessTest.config(lab, ""), "-p");
                // A fresh namespace: port 9090 on its loopback is free whatever runs on the host.
                PrometheusServer prometheus = PrometheusServer.start(dir, List.of("ip", "netns", "exec", lab.balancer),
                        new InetSocketAddress("127.0.0.1", 9090), """
                          - job_name: convey
                            static_configs:
                              - targets: ["%s:7000"]
                        """.formatted(lab.balancerIp), List.of(MonitoringFiles.RULES),
                        NetNamespaces.threadsIn(lab.balancer))) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> lab.get("/bytes/100") != null);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(
                    prometheus.query("count_over_time(convey_packet_dropped_total{job=\"convey\"}[1m])").get(0)
                            .at("/value/1").asDouble()).as(daemon.output().toString()).isGreaterThanOrEqualTo(3));

            Map<String, String> expressions = new LinkedHashMap<>();
            MonitoringFiles.panelExpressions("convey").forEach((name, expr) -> expressions.put("panel " + name, expr));
            MonitoringFiles.alertExpressions().forEach((name, expr) -> expressions.put("alert " + name, expr));
            expressions.values().removeIf(expr -> !expr.contains("convey_packet_"));
            assertThat(expressions).hasSizeGreaterThanOrEqualTo(3);
            List<String> empty = new ArrayList<>();
            expressions.forEach((name, expr) -> {
                if (prometheus.query(expr).isEmpty()) {
                    empty.add(name + ": " + expr);
                }
            });
            assertThat(empty).as("packet-mode expressions without series").isEmpty();
        }
    }
}
