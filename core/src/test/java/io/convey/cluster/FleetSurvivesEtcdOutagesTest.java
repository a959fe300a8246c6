package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.config.ConfigHistory;
import io.convey.testing.EtcdCluster;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member on a three-member etcd cluster: with one etcd member killed writes still succeed; with all killed writes
 * answer 503 naming the endpoints while traffic is served, a member started meanwhile runs its mirror file, and once
 * etcd is back the member applies the revisions written since, in order.
 */
class FleetSurvivesEtcdOutagesTest {
    @TempDir
    Path dir;

    @Test
    void writesSurviveOneEtcdMemberAndWaitForAllWhileTrafficFlows() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 3); NamedServer server = new NamedServer("s1")) {
            int frontend = Tcp.freeLoopbackPort();
            String text = FleetFixtures.fleetText(server.address().getPort(), 1) + """

                    [frontends.web]
                    listen_addr = "127.0.0.1:%d"
                    backend = "web"
                    """.formatted(frontend);
            FleetFixtures.init(etcd, "outage", text);
            Path memberDir = Files.createDirectories(dir.resolve("a"));
            RunningDaemon a = RunningDaemon.start(memberDir, FleetFixtures.memberText(etcd, "outage", "a"));
            try {
                assertThat(Tcp.greeting(a.frontend("web"))).isEqualTo("s1");

                etcd.kill(0);
                etcd.awaitHealthy();
                HttpResponse<String> oneDown = patchWeight(a, 2);
                assertThat(oneDown.statusCode()).as(oneDown.body()).isEqualTo(200);

                etcd.kill(1);
                etcd.kill(2);
                HttpResponse<String> allDown = patchWeight(a, 3);
                assertThat(allDown.statusCode()).isEqualTo(503);
                for (var endpoint : etcd.endpoints()) {
                    assertThat(allDown.body()).contains(endpoint.toString());
                }
                assertThat(Tcp.greeting(a.frontend("web"))).isEqualTo("s1");
                long before = a.version();

                // A member started while etcd is down runs the mirror of the last revision it applied, and says so.
                a.close();
                a = RunningDaemon.start(memberDir, FleetFixtures.memberText(etcd, "outage", "a"));
                assertThat(a.version()).isEqualTo(before);
                assertThat(a.getJson("/api/v1/status").get("cluster").get("source").asText()).isEqualTo("mirror");
                assertThat(Tcp.greeting(a.frontend("web"))).isEqualTo("s1");

                for (int i = 0; i < 3; i++) {
                    etcd.restart(i);
                }
                etcd.awaitHealthy();
                Fleet fleet = FleetFixtures.fleet(etcd, "outage");
                long r1 = write(fleet, 4);
                long r2 = write(fleet, 5);
                RunningDaemon member = a;
                await().atMost(Duration.ofSeconds(20)).until(() -> member.version() == r2);
                List<Long> applied = a.daemon().history().entries().reversed().stream()
                        .map(ConfigHistory.Entry::configVersion).filter(v -> v > before).toList();
                assertThat(applied).containsExactly(r1, r2);
                assertThat(a.getJson("/api/v1/status").get("cluster").get("source").asText()).isEqualTo("etcd");
                assertThat(FleetFixtures.mirror(a)).contains("weight = 5");
            } finally {
                a.close();
            }
        }
    }

    private static long write(Fleet fleet, int weight) throws Exception {
        Fleet.Revision current = fleet.current().orElseThrow();
        String next = current.text().replaceFirst("weight = \\d+", "weight = " + weight);
        return fleet.write(next, current.revision(), new Fleet.Change("operator", "test", "weight " + weight,
                Instant.now())).orElseThrow();
    }

    private static HttpResponse<String> patchWeight(RunningDaemon daemon, int weight) {
        return daemon.send("PATCH", "/api/v1/backends/web/servers/a", daemon.token(), "{\"weight\": " + weight + "}",
                "Content-Type", "application/json");
    }
}
