package io.convey.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.Fleet;
import io.convey.testing.EtcdCluster;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Two appliances in one fleet on a real etcd: the dashboard's fleet view lists both members with the revision each
 * runs; after a revision only one of them can bind (both live on this host), the other is shown drifting with the
 * reason it refused the revision.
 */
class FleetViewTest {
    @TempDir
    Path dir;

    @Test
    void theFleetViewShowsBothMembersAndTheOneThatDrifts() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 1);
                EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
            Fleet fleet = new Fleet(client, "web");
            long first = fleet.write("""
                    [backends.app.servers.a]
                    addr = "127.0.0.1:%d"
                    """.formatted(Tcp.freeLoopbackPort()), 0, new Fleet.Change("test", "init", "fleet", Instant.now()))
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
