package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.convey.testing.MonitoringFiles;
import io.convey.testing.PrometheusServer;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * Prometheus, run in the balancer's namespace and scraping {@code convey -p} there: each returns series. Broken
 * frames from the client then raise the {@code packets_dropped} webhook.
 */
class PacketMetricsAgainstPrometheusNamespaceTest {

    @Test
    void packetPanelsAndTheDropAlertReturnSeries(@TempDir Path dir) throws Exception {
        Path daemonDir = Files.createDirectories(dir.resolve("daemon"));
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).serverPort(PacketModesRunAsADaemonProcessTest.SERVER_PORT)
                .balancerAsProcess().start();
                Closeable stop = receiverIn(lab);
                DaemonProcess daemon = DaemonProcess.start(lab.balancer, daemonDir,
                        PacketModesRunAsADaemonProcessTest.config(lab, "") + """
                        [notify]
                        drop_threshold = 50
                        [notify.hooks.ops]
                        url = "http://127.0.0.1:%d/hook"
                        events = ["packets_dropped"]
                        """.formatted(receiver.getAddress().getPort()), "-p");
                // A fresh namespace: port 9090 on its loopback is free whatever runs on the host.
                PrometheusServer prometheus = PrometheusServer.start(dir, List.of("ip", "netns", "exec", lab.balancer),
                        new InetSocketAddress("127.0.0.1", 9090), """
                          - job_name: convey
                            scheme: https
                            tls_config:
                              ca_file: %s
                            static_configs:
                              - targets: ["%s:7000"]
                        """.formatted(daemonDir.resolve(".convey-state/admin-cert.pem"), lab.balancerIp), List.of(MonitoringFiles.RULES),
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

            sendBrokenFrames(lab, 500);
            String body = received.poll(30, TimeUnit.SECONDS);
            assertThat(body).as("packets_dropped notification; daemon output %s", daemon.output()).isNotNull();
            JsonNode dropped = new ObjectMapper().readTree(body);
            assertThat(dropped.get("event").asText()).isEqualTo("packets_dropped");
            assertThat(dropped.get("dropped").asLong()).isGreaterThanOrEqualTo(50);
            assertThat(dropped.get("threshold").asLong()).isEqualTo(50);
            assertThat(dropped.get("by_reason").fieldNames()).toIterable().isNotEmpty();
        }
    }

    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private HttpServer receiver;

    /** A webhook receiver bound inside the balancer's namespace, where the daemon runs. */
    private Closeable receiverIn(PacketLab lab) throws Exception {
        ExecutorService inBalancer = Executors.newSingleThreadExecutor(NetNamespaces.threadsIn(lab.balancer));
        try {
            receiver = inBalancer.submit(() -> HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16)).get();
        } finally {
            inBalancer.shutdown();
        }
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        return () -> receiver.stop(0);
    }

    /** SYNs to the VIP broken in various ways, sent raw from the client's interface (as the worker test does). */
    private static void sendBrokenFrames(PacketLab lab, int frames) throws Exception {
        long balancerMac = MalformedFramesNeverStopAWorkerTest.mac(lab, lab.balancer, PacketLab.BALANCER_INTERFACE);
        long clientMac = MalformedFramesNeverStopAWorkerTest.mac(lab, lab.client, "vc");
        String clientIp = lab.namespaces.exec(lab.client, "ip", "-4", "-o", "addr", "show", "vc")
                .split("inet ")[1].split("/")[0];
        lab.inClient(() -> {
            try (RingPacketIo raw = RingPacketIo.open("vc", CaptureFilter.NOTHING)) {
                Random random = new Random(20261204);
                for (int i = 0; i < frames; i++) {
                    byte[] frame = MalformedFramesNeverStopAWorkerTest.broken(random, clientIp, lab.vip);
                    for (int b = 0; b < 6 && frame.length >= 12; b++) {
                        frame[b] = (byte) (balancerMac >>> (40 - 8 * b));
                        frame[6 + b] = (byte) (clientMac >>> (40 - 8 * b));
                    }
                    raw.sendFrame(frame, 0, frame.length);
                }
                return null;
            }
        });
    }
}
