package io.convey.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.Fleet;
import io.convey.console.client.Api;
import io.convey.console.testing.Screenshots;
import io.convey.testing.EtcdCluster;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * The console's appliance is a member of a fleet on a real etcd with a second member: the Fleet screen lists both
 * with the revision each runs, and after a revision only one of them can bind (both live on this host) it marks the
 * other as drifting, with the revision it refused and why.
 */
class FleetTabShowsMembersAndDriftTest extends ConsoleTestBase {
    @TempDir
    static Path etcdDir;
    static EtcdCluster etcd;
    static long first;

    @BeforeAll
    static void startEtcdWithAFleet() throws Exception {
        etcd = EtcdCluster.start(etcdDir, 1);
        try (EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
            first = new Fleet(client, "console").write("""
                    [backends.web_pool.servers.a]
                    addr = "127.0.0.1:%d"

                    [backends.web_pool.servers.b]
                    addr = "127.0.0.1:%d"
                    """.formatted(Tcp.freeLoopbackPort(), Tcp.freeLoopbackPort()), 0,
                    new Fleet.Change("test", "init", "fleet", Instant.now())).orElseThrow();
        }
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
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
    void theFleetScreenShowsTwoMembersAndTheOneThatDrifts(FxRobot robot) throws Exception {
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
        }
    }

    /** The state column's text, as the screen shows it. */
    static final class FleetViewStateText {
        static String of(Api.FleetMember member) {
            return io.convey.console.fleet.FleetViewModel.state(member);
        }
    }
}
