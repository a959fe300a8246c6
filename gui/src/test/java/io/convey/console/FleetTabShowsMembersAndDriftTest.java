package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.Fleet;
import io.convey.cluster.MemberState;
import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
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
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The console's appliance is a member of a fleet on a real etcd with a second member: the Fleet screen lists both
 * with the revision each runs, and after a revision only one of them can bind (both live on this host) it marks the
 * other as drifting, with the revision it refused and why. A third appliance's record, published under its own lease,
 * sees a server down that both daemons see up: the screen lists that disagreement with each member's view, and drops
 * the third member and the disagreement when its lease is revoked.
 */
class FleetTabShowsMembersAndDriftTest extends ConsoleTestBase {
    @TempDir
    static Path etcdDir;
    static EtcdCluster etcd;
    static NamedServer serverA;
    static long first;

    @BeforeAll
    static void startEtcdWithAFleet() throws Exception {
        etcd = EtcdCluster.start(etcdDir, 1);
        serverA = new NamedServer("a");
        try (EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
            first = new Fleet(client, "console").write("""
                    [backends.web_pool]
                    health_check_interval_ms = 200

                    [backends.web_pool.servers.a]
                    addr = "%s"

                    [backends.web_pool.servers.b]
                    addr = "127.0.0.1:%d"
                    """.formatted(serverA.addr(), Tcp.freeLoopbackPort()), 0,
                    new Fleet.Change("test", "init", "fleet", Instant.now())).orElseThrow();
        }
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
        if (serverA != null) {
            serverA.close();
        }
    }

    @Override
    String moreSections() {
        return """

                [cluster]
                etcd_endpoints = %s
                name = "console"
                member = "lab"
                member_ttl_s = 2
                """.formatted(etcd.endpointsToml());
    }

    @Test
    void theFleetScreenShowsTheMembersTheOneThatDriftsAndWhereTheyDisagree(FxRobot robot) throws Exception {
        try (RunningDaemon other = RunningDaemon.start(Files.createDirectories(dir.resolve("other")), """
                [admin]
                listen_addr = "127.0.0.1:%d"

                [cluster]
                etcd_endpoints = %s
                name = "console"
                member = "other"
                member_ttl_s = 2
                """.formatted(Tcp.freeLoopbackPort(), etcd.endpointsToml()))) {
            ApplianceView view = openAppliance(robot, "Fleet");
            @SuppressWarnings("unchecked")
            TableView<Api.FleetMember> table = robot.lookup("#fleetTable").queryAs(TableView.class);
            eventually().until(() -> fx(() -> table.getItems().size()) == 2);
            eventually().until(() -> labelText(robot, "#fleetSummary").contains("all in step"));

            long next;
            try (EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
                Fleet fleet = new Fleet(client, "console");
                Fleet.Revision current = fleet.current().orElseThrow();
                next = fleet.write(current.text() + """

                        [frontends.edge]
                        listen_addr = "127.0.0.1:%d"
                        backend = "web_pool"
                        """.formatted(Tcp.freeLoopbackPort()), current.revision(),
                        new Fleet.Change("test", "api", "frontend edge", Instant.now())).orElseThrow();
            }
            eventually().until(() -> fx(() -> table.getItems().stream()
                    .anyMatch(m -> m.drift() && m.rejectedRevision() == next)));
            eventually().until(() -> labelText(robot, "#fleetSummary").contains("revision " + next)
                    && labelText(robot, "#fleetSummary").contains("1 drifting"));
            Api.FleetMember drifting = fx(() -> table.getItems().stream().filter(Api.FleetMember::drift).findFirst()
                    .orElseThrow());
            assertThat(FleetViewStateText.of(drifting)).contains("DRIFT: runs " + first).contains("refused " + next)
                    .contains("cannot be bound");
            assertThat(fx(() -> table.getItems().stream().filter(m -> !m.drift()).count())).isEqualTo(1);
            assertThat(fx(() -> table.getItems().stream().map(Api.FleetMember::member).sorted().toList()))
                    .containsExactly("lab", "other");
            Screenshots.save(robot.lookup("#main").query(), "fleet-drift");
            assertThat(view).isNotNull();

            // a third appliance publishes that it sees web_pool/a down, where both daemons see it up (and b down)
            @SuppressWarnings("unchecked")
            TableView<Api.Disagreement> disagreements = robot.lookup("#fleetDisagreements").queryAs(TableView.class);
            try (EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
                Fleet fleet = new Fleet(client, "console");
                eventually().atMost(Duration.ofSeconds(15)).until(() -> fleet.members().stream()
                        .map(m -> m.health().get("web_pool/a")).toList(), h -> h.equals(List.of("up", "up")));
                eventually().until(() -> fx(() -> disagreements.getItems().isEmpty()));
                long lease = client.grantLease(Duration.ofSeconds(5));
                client.put(fleet.membersPrefix() + "third", new MemberState("third", next, 0, List.of(), "etcd",
                        "proxy", Instant.now(), 0, null, Map.of("web_pool/a", "down", "web_pool/b", "down"),
                        Instant.now()).json(), lease);
                eventually().until(() -> fx(() -> disagreements.getItems().size()) == 1);
                Api.Disagreement disagreement = fx(() -> disagreements.getItems().getFirst());
                assertThat(disagreement.server()).isEqualTo("web_pool/a");
                assertThat(disagreement.health()).containsExactly(entry("lab", "up"), entry("other", "up"),
                        entry("third", "down"));
                assertThat(fx(() -> disagreements.getColumns().get(1).getCellData(0)))
                        .isEqualTo("lab: up, other: up, third: down");
                assertThat(fx(() -> table.getItems().stream().map(Api.FleetMember::member).toList()))
                        .containsExactly("lab", "other", "third");
                Screenshots.save(robot.lookup("#main").query(), "fleet-disagreement");

                client.revoke(lease);
                eventually().until(() -> fx(() -> table.getItems().size() == 2 && disagreements.getItems().isEmpty()));
            }
        }
    }

    /** The state column's text, as the screen shows it. */
    static final class FleetViewStateText {
        static String of(Api.FleetMember member) {
            return io.convey.console.fleet.FleetViewModel.state(member);
        }
    }
}
