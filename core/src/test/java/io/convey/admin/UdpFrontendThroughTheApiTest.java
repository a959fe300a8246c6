package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Udp;
import io.convey.testing.UdpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UDP frontend added and edited through the API serves clients, and its counters show in every document. */
class UdpFrontendThroughTheApiTest {

    @Test
    void aUdpFrontendAddedByTheApiServesAndItsCountersShowInTheApiStatsAndMetrics(@TempDir Path dir) throws Exception {
        try (UdpServer u = new UdpServer("u"); RunningDaemon daemon = RunningDaemon.start(dir, """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                health_check = "none"
                [backends.p.servers.u]
                addr = "%s"
                """.formatted(io.convey.testing.Tcp.freeLoopbackPort(), u.addr()));
                Udp client = new Udp()) {
            Api api = new Api(daemon);
            int port = Udp.freeLoopbackPort();

            var added = api.send("POST", "/api/v1/frontends", "{\"name\": \"dns\", \"listen_addr\": \"127.0.0.1:" + port
                    + "\", \"backend\": \"p\", \"protocol\": \"udp\", \"udp_responses\": 1}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(api.fileText()).contains("protocol = \"udp\"", "udp_responses = 1");
            InetSocketAddress frontend = new InetSocketAddress("127.0.0.1", port);
            assertThat(client.ask(frontend, "q")).isEqualTo("u:q");

            await().untilAsserted(() -> {
                JsonNode dns = frontendNamed(Api.json(api.get("/api/v1/frontends")), "dns");
                assertThat(dns.get("protocol").asText()).isEqualTo("udp");
                assertThat(dns.at("/udp/datagrams_tx").asLong()).isEqualTo(1);
                assertThat(dns.at("/udp/datagrams_rx").asLong()).isEqualTo(1);
                assertThat(dns.at("/udp/sessions_total").asLong()).isEqualTo(1);
                assertThat(dns.at("/udp/sessions_current").asLong()).isZero();
            });
            JsonNode pool = Api.json(api.get("/api/v1/backends/p"));
            assertThat(pool.at("/udp/datagrams_tx").asLong()).isEqualTo(1);
            assertThat(pool.at("/servers/0/udp/bytes_rx").asLong()).isEqualTo("u:q".length());
            assertThat(pool.get("health_check").asText()).isEqualTo("none");
            JsonNode stats = Api.json(api.get("/stats"));
            assertThat(stats.at("/udp/frontends/dns/datagrams_rx").asLong()).isEqualTo(1);
            assertThat(stats.at("/udp/servers/p/" + u.addr().replace("/", "~1") + "/sessions_total").asLong()).isEqualTo(1);
            String metrics = api.get("/metrics").body();
            assertThat(metrics).contains("# HELP convey_frontend_udp_datagrams_tx_total Datagrams from clients sent on to servers",
                    "convey_frontend_udp_datagrams_tx_total{frontend=\"dns\"} 1.0",
                    "convey_server_udp_sessions_total{addr=\"" + u.addr() + "\",pool=\"p\",server=\"u\"} 1.0",
                    "# HELP convey_frontend_udp_sessions_dropped_total");

            var patched = api.send("PATCH", "/api/v1/frontends/dns", "{\"protocol\": \"tcp\"}");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(api.fileText()).doesNotContain("udp_responses");
            assertThat(Api.json(api.get("/api/v1/config")).at("/frontends/dns/protocol").asText()).isEqualTo("tcp");
        }
    }

    @Test
    void aBadProtocolIsRefusedWithTheKeyAndNothingChanges(@TempDir Path dir) throws Exception {
        try (RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", "127.0.0.1:9"))) {
            Api api = new Api(daemon);
            String before = api.fileText();

            var refused = api.send("PATCH", "/api/v1/frontends/f", "{\"protocol\": \"sctp\"}");

            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("frontends.f.protocol", "\\\"sctp\\\" (expected: one of tcp, udp)");
            assertThat(api.fileText()).isEqualTo(before);
        }
    }

    private static JsonNode frontendNamed(JsonNode list, String name) {
        for (JsonNode f : list) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no frontend " + name + " in " + list);
    }
}
