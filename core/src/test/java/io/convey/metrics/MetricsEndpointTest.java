package io.convey.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {
    static String config(String a, String b) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                health_check_interval = 3600
                [backends.p.servers.a]
                addr = "%s"
                [backends.p.servers.b]
                addr = "%s"
                state = "drain"
                [stats]
                port = 0
                """.formatted(Tcp.freeLoopbackPort(), a, b);
    }

    static HttpResponse<String> scrape(RunningDaemon daemon, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(daemon.adminUrl() + "/metrics"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return daemon.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void textFormatByDefaultOpenMetricsWhenTheScraperAsksForIt(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), b.addr()))) {
            HttpResponse<String> text = scrape(daemon, null);
            assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(text.body()).contains("convey_connections_total 0").doesNotContain("# EOF");

            // What Prometheus 2.x sends when it prefers OpenMetrics.
            HttpResponse<String> open = scrape(daemon, "application/openmetrics-text;version=1.0.0,"
                    + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/openmetrics-text; version=1.0.0"));
            assertThat(open.body()).contains("# TYPE convey_connections counter").contains("convey_connections_total 0")
                    .endsWith("# EOF\n");
        }
    }

    @Test
    void everyFamilyHasHelpAndTheOperatorsFamiliesAreThere(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a"); NamedServer b = new NamedServer("b");
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), b.addr()))) {
            await().untilAsserted(() -> assertThat(Exposition.parse(scrape(daemon, null).body())
                    .sum("convey_health_check_seconds_count")).isGreaterThanOrEqualTo(2));
            Exposition m = Exposition.parse(scrape(daemon, null).body());
            assertThat(m.types().keySet()).allSatisfy(family ->
                    assertThat(m.help().get(family)).as("HELP of " + family).isNotBlank());
            assertThat(m.types()).containsEntry("convey_connections_total", "counter")
                    .containsEntry("convey_server_connect_seconds", "histogram")
                    .containsEntry("convey_server_connection_duration_seconds", "histogram")
                    .containsEntry("convey_health_check_seconds", "histogram")
                    .containsKeys("convey_server_connect_errors_total", "convey_server_connect_timeouts_total",
                            "convey_server_retries_total", "convey_health_check_failures_total",
                            "convey_config_reloads_rejected_total", "convey_server_flaps_last_hour",
                            "jvm_memory_used_bytes", "process_cpu_seconds_total", "process_open_fds");
            assertThat(m.value("convey_build_info", "mode", "proxy")).isEqualTo(1);
            assertThat(m.value("convey_config_version")).isEqualTo(1);
            assertThat(m.value("convey_config_last_reload_success")).isEqualTo(1);
            assertThat(m.value("convey_config_last_reload_timestamp_seconds")).isPositive();
            assertThat(m.value("convey_server_weight", "server", "a")).isEqualTo(1);
            assertThat(m.value("convey_server_state", "server", "a", "state", "enabled")).isEqualTo(1);
            assertThat(m.value("convey_server_state", "server", "b", "state", "drain")).isEqualTo(1);
            assertThat(m.value("convey_server_state", "server", "b", "state", "enabled")).isZero();
            assertThat(m.value("convey_server_eligible", "server", "b")).isZero();
            assertThat(m.value("convey_pool_eligible_servers", "pool", "p")).isEqualTo(1);
            assertThat(m.help().get("convey_bytes_tx_total")).contains("client to server");
            assertThat(m.help().get("convey_bytes_rx_total")).contains("server to client");

            daemon.rewrite("[frontends.broken\n");
            daemon.daemon().reloadFromFile("file");
            Exposition after = Exposition.parse(scrape(daemon, null).body());
            assertThat(after.value("convey_config_reloads_rejected_total")).isEqualTo(1);
            assertThat(after.value("convey_config_last_reload_success")).isZero();
            assertThat(after.value("convey_config_version")).isEqualTo(1);
        }
    }

    @Test
    void aRefusedServerCountsConnectErrorsAndRetriesAndConnectionsFillTheHistograms(@TempDir Path dir)
            throws Exception {
        ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String goneAddr = "127.0.0.1:" + gone.getLocalPort();
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), goneAddr).replace("state = \"drain\"", "")
                        .replace("health_check_interval = 3600", "health_check_interval_ms = 100\nfall = 100"))) {
            // Both pass their first check; then b stops listening, and stays up for 100 failed checks (10 s).
            await().untilAsserted(() -> assertThat(Exposition.parse(scrape(daemon, null).body())
                    .value("convey_health_check_seconds_count", "server", "b")).isPositive());
            gone.close();
            for (int i = 0; i < 6; i++) {
                try (Socket s = new Socket()) {
                    s.connect(daemon.frontend("f"));
                    assertThat(new String(s.getInputStream().readNBytes(2))).isEqualTo("a\n");
                }
            }
            await().untilAsserted(() -> {
                Exposition m = Exposition.parse(scrape(daemon, null).body());
                double errors = m.value("convey_server_connect_errors_total", "server", "b");
                assertThat(errors).isBetween(1.0, 6.0);
                assertThat(m.value("convey_server_retries_total", "server", "b")).isEqualTo(errors);
                assertThat(m.value("convey_server_connect_errors_total", "server", "a")).isZero();
                assertThat(m.value("convey_server_connect_seconds_count", "server", "a")).isEqualTo(6);
                assertThat(m.value("convey_server_connect_seconds_count", "server", "b")).isZero();
                assertThat(m.value("convey_server_connection_duration_seconds_count", "server", "a")).isEqualTo(6);
                assertThat(m.value("convey_server_connection_duration_seconds_bucket", "server", "a", "le", "+Inf"))
                        .isEqualTo(6);
                assertThat(m.value("convey_server_connections_total", "server", "a")).isEqualTo(6);
            });
            Exposition m = Exposition.parse(scrape(daemon, null).body());
            assertThat(m.value("convey_health_check_failures_total", "server", "b", "reason", "refused")).isPositive();
            assertThat(m.value("convey_health_check_failures_total", "server", "a", "reason", "refused")).isZero();
            assertThat(m.value("convey_server_up", "server", "b")).as("fall = 100").isEqualTo(1);
        }
    }

    @Test
    void aServerThatStopsAnsweringCountsConnectTimeouts(@TempDir Path dir) throws Exception {
        // Never accepts: its one-slot accept queue takes the first health check, then fillers make it drop SYNs.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, config(a.addr(), "127.0.0.1:" + silent.getLocalPort())
                        .replace("state = \"drain\"", "").replace("health_check_interval = 3600",
                                "health_check_interval = 3600\nconnect_timeout_ms = 200"))) {
            await().untilAsserted(() -> assertThat(Exposition.parse(scrape(daemon, null).body())
                    .value("convey_health_check_seconds_count", "server", "b")).isEqualTo(1));
            java.util.List<Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    Socket filler = new Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(silent.getLocalSocketAddress(), 200);
                    } catch (java.net.SocketTimeoutException full) {
                        break;
                    }
                }
                for (int i = 0; i < 4; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(daemon.frontend("f"));
                        assertThat(new String(s.getInputStream().readNBytes(2))).isEqualTo("a\n");
                    }
                }
                Exposition m = Exposition.parse(scrape(daemon, null).body());
                double timeouts = m.value("convey_server_connect_timeouts_total", "server", "b");
                assertThat(timeouts).as("round robin offers b to some of 4 connections").isBetween(1.0, 4.0);
                assertThat(m.value("convey_server_connect_errors_total", "server", "b")).isZero();
                assertThat(m.value("convey_server_retries_total", "server", "b")).isEqualTo(timeouts);
                assertThat(m.value("convey_server_up", "server", "b")).as("hourly checks").isEqualTo(1);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }
}
