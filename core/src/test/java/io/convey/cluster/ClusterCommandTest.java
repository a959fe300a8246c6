package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.Main;
import io.convey.testing.EtcdCluster;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convey cluster init} puts a file into an empty fleet key and never overwrites; {@code status} shows members. */
class ClusterCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run convey(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new java.io.ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void initFillsAnEmptyFleetOnceAndStatusShowsItsMembers() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(dir, 1)) {
            Path fleetFile = dir.resolve("fleet.toml");
            String text = FleetFixtures.fleetText(Tcp.freeLoopbackPort(), 3) + """

                    [cluster]
                    etcd_endpoints = %s
                    name = "ops"
                    """.formatted(etcd.endpointsToml());
            Files.writeString(fleetFile, text);

            Run init = convey("cluster", "init", "--config=" + fleetFile);
            assertThat(init.code()).as(init.err()).isZero();
            assertThat(init.out()).contains("fleet ops initialised at revision");
            assertThat(FleetFixtures.fleet(etcd, "ops").current().orElseThrow().text()).isEqualTo(text);

            Files.writeString(fleetFile, text.replace("weight = 3", "weight = 9"));
            Run again = convey("cluster", "init", "--config=" + fleetFile);
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("/convey/ops/config holds revision").contains("expected: an empty fleet key");
            assertThat(FleetFixtures.fleet(etcd, "ops").current().orElseThrow().text()).contains("weight = 3");

            try (RunningDaemon a = FleetFixtures.member(dir, etcd, "ops", "a")) {
                await().atMost(Duration.ofSeconds(10)).until(() -> convey("cluster", "status", "--config=" + a.config())
                        .out().contains("a "));
                Run status = convey("cluster", "status", "--config=" + a.config());
                assertThat(status.code()).as(status.err()).isZero();
                assertThat(status.out()).contains("fleet ops: revision " + a.version()).contains("in step");
            }

            etcd.kill(0);
            Run down = convey("cluster", "status", "--config=" + fleetFile);
            assertThat(down.code()).isEqualTo(1);
            assertThat(down.err()).contains("etcd is unreachable at " + etcd.endpoints().getFirst());
        }
    }
}
