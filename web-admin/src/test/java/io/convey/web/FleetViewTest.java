package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.Fleet;
import io.convey.cluster.MemberState;
import io.convey.testing.EtcdCluster;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Two appliances in one fleet on a real etcd: the dashboard's fleet view lists both members with the revision each
 * runs; after a revision only one of them can bind (both live on this host), the other is shown drifting with the
 * reason it refused the revision. A third appliance's record, published under its own lease, sees the server down
 * that both daemons see up (a fourth, on the same lease, has not checked it): the view shows that disagreement with
 * each member's view, and drops both records and the disagreement when their lease is revoked.
 */
class FleetViewTest {
    @TempDir
    Path dir;

    @Test
    void theFleetViewShowsTheMembersTheOneThatDriftsAndWhereTheyDisagree() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 1);
                EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()));
                NamedServer server = new NamedServer("a")) {
            Fleet fleet = new Fleet(client, "web");
            long first = fleet.write("""
                    [backends.app]
                    health_check_interval_ms = 200

                    [backends.app.servers.a]
                    addr = "%s"
                    """.formatted(server.addr()), 0, new Fleet.Change("test", "init", "fleet", Instant.now()))
                    .orElseThrow();
            try (RunningDaemon a = member(etcd, "a"); RunningDaemon b = member(etcd, "b");
                    Browser browser = new Browser(a.spkiSha256Base64())) {
                browser.open(a.adminUrl() + "/#fleet");
                WebElement form = browser.find("#login-form");
                form.findElement(By.name("user")).sendKeys("admin");
                form.findElement(By.name("password")).sendKeys(a.adminPassword());
                form.findElement(By.cssSelector("button.primary")).click();
                browser.awaitText("#fleet-summary", "Fleet web: revision " + first);
                browser.awaitText("tr[data-member='a'] .state", "IN STEP");
                browser.awaitText("tr[data-member='b'] .state", "IN STEP");

                String current = fleet.current().orElseThrow().text();
                long next = fleet.write(current + """

                        [frontends.edge]
                        listen_addr = "127.0.0.1:%d"
                        backend = "app"
                        """.formatted(Tcp.freeLoopbackPort()), first, new Fleet.Change("test", "api", "frontend edge",
                        Instant.now())).orElseThrow();
                // the member that cannot bind publishes the revision it refused and why
                browser.awaitText("tr.drift .refused", "refused revision " + next);
                browser.awaitText("#fleet-summary", "1 drifting");
                browser.awaitText("#fleet-revision", String.valueOf(next));
                List<WebElement> drifting = browser.all("tr.drift");
                assertThat(drifting).hasSize(1);
                assertThat(drifting.getFirst().findElement(By.cssSelector(".state")).getText())
                        .isEqualTo("DRIFT: runs " + first);
                assertThat(drifting.getFirst().findElement(By.cssSelector(".refused")).getText())
                        .contains("refused revision " + next).contains("frontends.edge.listen_addr")
                        .contains("cannot be bound");
                assertThat(browser.all("table.fleet tbody tr")).hasSize(2);
                browser.screenshot("fleet-drift");

                // a third appliance publishes that it sees app/a down, where both daemons see it up
                await().atMost(Duration.ofSeconds(15)).until(() -> fleet.members().stream()
                        .map(m -> m.health().get("app/a")).toList(), h -> h.equals(List.of("up", "up")));
                browser.awaitText("#fleet-disagreements", "The members agree about the health of every server.");
                long lease = client.grantLease(Duration.ofSeconds(5));
                client.put(fleet.membersPrefix() + "c", new MemberState("c", next, 0, List.of(), "etcd", "proxy",
                        Instant.now(), 0, null, Map.of("app/a", "down"), Instant.now()).json(), lease);
                // a fourth, under the same lease, has not checked it yet: it is shown without taking a side
                client.put(fleet.membersPrefix() + "d", new MemberState("d", next, 0, List.of(), "etcd", "proxy",
                        Instant.now(), 0, null, Map.of("app/a", "unchecked"), Instant.now()).json(), lease);
                browser.awaitText("tr[data-member='d'] .state", "IN STEP");
                browser.awaitText("tr[data-member='c'] .state", "IN STEP");
                WebElement disagreement = browser.find("#fleet-disagreements tr[data-server='app/a']");
                assertThat(browser.all("#fleet-disagreements tbody tr")).hasSize(1);
                assertThat(disagreement.findElements(By.cssSelector(".member-health")).stream()
                        .map(e -> e.getText().strip()).toList())
                        .containsExactly("a UP", "b UP", "c DOWN", "d UNCHECKED");
                assertThat(disagreement.findElements(By.cssSelector(".badge-unknown"))).hasSize(1);
                browser.screenshot("fleet-disagreement");

                client.revoke(lease);
                browser.await(() -> "members c and d gone", d -> d.findElements(By.cssSelector("tr[data-member='c'], "
                        + "tr[data-member='d']")).isEmpty());
                browser.awaitText("#fleet-disagreements", "The members agree about the health of every server.");
                assertThat(browser.all("table.fleet tbody tr")).hasSize(2);
            }
        }
    }

    private RunningDaemon member(EtcdCluster etcd, String name) throws Exception {
        return RunningDaemon.start(Files.createDirectories(dir.resolve(name)), """
                [admin]
                listen_addr = "127.0.0.1:%d"

                [cluster]
                etcd_endpoints = %s
                name = "web"
                member = "%s"
                member_ttl_s = 2
                """.formatted(Tcp.freeLoopbackPort(), etcd.endpointsToml(), name));
    }
}
