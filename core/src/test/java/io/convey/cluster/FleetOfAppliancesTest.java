package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.testing.EtcdCluster;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons in one fleet on one real etcd (one per class; each test its own fleet name): edits on one member reach
 * the other and both mirror files, two writers on the same revision get one 200 and one 412, a revision one member
 * cannot bind leaves it behind and says why.
 */
class FleetOfAppliancesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static EtcdCluster etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdCluster.start(dir, 1);
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aPatchOnOneMemberReachesTheOtherAndBothMirrorFiles() throws Exception {
        long first = FleetFixtures.init(etcd, "patch", FleetFixtures.fleetText(Tcp.freeLoopbackPort(), 1));
        try (RunningDaemon a = FleetFixtures.member(dir.resolve("patch"), etcd, "patch", "a");
                RunningDaemon b = FleetFixtures.member(dir.resolve("patch"), etcd, "patch", "b")) {
            assertThat(a.version()).isEqualTo(first);
            assertThat(b.version()).isEqualTo(first);
            HttpResponse<String> patched = a.send("PATCH", "/api/v1/backends/web/servers/a", a.token(), "{\"weight\": 7}",
                    "Content-Type", "application/json", "If-Match", "\"" + first + "\"");
            long sent = System.nanoTime();
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            long revision = JSON.readTree(patched.body()).get("config_version").asLong();
            assertThat(revision).isGreaterThan(first);
            assertThat(patched.headers().firstValue("ETag")).hasValue("\"" + revision + "\"");

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> b.version() == revision);
            long millis = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("fleet: revision " + revision + " applied on the other member " + millis + " ms after the 200");
            assertThat(b.daemon().engine().config().backends().get("web").servers().get("a").weight()).isEqualTo(7);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(FleetFixtures.mirror(a)).contains("weight = 7").contains("# the fleet's configuration");
                assertThat(FleetFixtures.mirror(b)).isEqualTo(FleetFixtures.mirror(a));
            });
            JsonNode history = b.getJson("/api/v1/config/history");
            assertThat(history.get(0).get("config_version").asLong()).isEqualTo(revision);
            assertThat(history.get(0).get("by").asText()).contains("admin");
            assertThat(b.getJson("/api/v1/status").get("cluster").get("revision").asLong()).isEqualTo(revision);

            // Diff and rollback work on the fleet's revisions, from either member; a rollback is a new revision.
            assertThat(b.get("/api/v1/config/diff?from=" + first + "&to=" + revision).body()).contains("-weight = 1")
                    .contains("+weight = 7");
            HttpResponse<String> rolledBack = b.send("POST", "/api/v1/config/rollback/" + first, b.token(), null,
                    "If-Match", "\"" + revision + "\"");
            assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
            long third = JSON.readTree(rolledBack.body()).get("config_version").asLong();
            assertThat(third).isGreaterThan(revision);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.version() == third);
            assertThat(a.daemon().engine().config().backends().get("web").servers().get("a").weight()).isEqualTo(1);
            JsonNode newest = a.getJson("/api/v1/config/history").get(0);
            assertThat(newest.get("config_version").asLong()).isEqualTo(third);
            assertThat(newest.get("source").asText()).isEqualTo("rollback");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(FleetFixtures.mirror(a))
                    .isEqualTo(FleetFixtures.fleet(etcd, "patch").textAt(first).orElseThrow()));
        }
    }

    @Test
    void twoWritersOnTwoMembersWithTheSameIfMatchGetOne200AndOne412() throws Exception {
        long first = FleetFixtures.init(etcd, "race", FleetFixtures.fleetText(Tcp.freeLoopbackPort(), 1));
        try (RunningDaemon a = FleetFixtures.member(dir.resolve("race"), etcd, "race", "a");
                RunningDaemon b = FleetFixtures.member(dir.resolve("race"), etcd, "race", "b")) {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> patch(a, go, 11, first));
            CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> patch(b, go, 22, first));
            go.countDown();
            List<Integer> statuses = new ArrayList<>(List.of(onA.join().statusCode(), onB.join().statusCode()));
            statuses.sort(null);
            assertThat(statuses).as(onA.join().body() + " / " + onB.join().body()).containsExactly(200, 412);
            HttpResponse<String> winner = onA.join().statusCode() == 200 ? onA.join() : onB.join();
            HttpResponse<String> loser = onA.join().statusCode() == 200 ? onB.join() : onA.join();
            assertThat(loser.body()).contains("changed meanwhile");
            long revision = JSON.readTree(winner.body()).get("config_version").asLong();
            String weight = onA.join() == winner ? "weight = 11" : "weight = 22";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                String inEtcd = FleetFixtures.fleet(etcd, "race").current().orElseThrow().text();
                assertThat(inEtcd).contains(weight);
                assertThat(FleetFixtures.mirror(a)).isEqualTo(inEtcd);
                assertThat(FleetFixtures.mirror(b)).isEqualTo(inEtcd);
                assertThat(a.version()).isEqualTo(revision);
                assertThat(b.version()).isEqualTo(revision);
            });
        }
    }

    @Test
    void aRevisionOneMemberCannotBindKeepsItOnThePreviousRevisionAndItSaysWhy() throws Exception {
        long first = FleetFixtures.init(etcd, "bind", FleetFixtures.fleetText(Tcp.freeLoopbackPort(), 1));
        try (RunningDaemon a = FleetFixtures.member(dir.resolve("bind"), etcd, "bind", "a");
                RunningDaemon b = FleetFixtures.member(dir.resolve("bind"), etcd, "bind", "b")) {
            // Both members live on this host: only one of them can bind the new frontend's address.
            int port = Tcp.freeLoopbackPort();
            HttpResponse<String> added = a.send("POST", "/api/v1/frontends", a.token(),
                    "{\"name\": \"edge\", \"listen_addr\": \"127.0.0.1:" + port + "\", \"backend\": \"web\"}",
                    "Content-Type", "application/json");
            assertThat(added.statusCode()).as(added.body()).isIn(201, 409);
            long revision = FleetFixtures.fleet(etcd, "bind").current().orElseThrow().revision();
            assertThat(revision).isGreaterThan(first);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonNode fleet = a.getJson("/api/v1/fleet");
                assertThat(fleet.get("members")).hasSize(2);
                List<Long> running = new ArrayList<>();
                fleet.get("members").forEach(m -> running.add(m.get("revision").asLong()));
                assertThat(running).containsExactlyInAnyOrder(first, revision);
            });
            RunningDaemon behind = a.version() == first ? a : b;
            RunningDaemon ahead = behind == a ? b : a;
            assertThat(ahead.version()).isEqualTo(revision);
            assertThat(ahead.frontend("edge")).isNotNull();
            JsonNode cluster = behind.getJson("/api/v1/status").get("cluster");
            assertThat(cluster.get("revision").asLong()).isEqualTo(first);
            assertThat(cluster.get("rejected").get("revision").asLong()).isEqualTo(revision);
            assertThat(cluster.get("rejected").get("problems").toString()).contains("frontends.edge.listen_addr")
                    .contains("cannot be bound");
            JsonNode member = member(a.getJson("/api/v1/fleet"), behind == a ? "a" : "b");
            assertThat(member.get("drift").asBoolean()).isTrue();
            assertThat(member.get("rejected_revision").asLong()).isEqualTo(revision);
            assertThat(FleetFixtures.mirror(behind)).doesNotContain("edge");
            assertThat(FleetFixtures.mirror(ahead)).contains("[frontends.edge]");
        }
    }

    @Test
    void aKilledMembersRecordExpiresWithItsLeaseAndTheFleetViewDropsIt() throws Exception {
        FleetFixtures.init(etcd, "lease", FleetFixtures.fleetText(Tcp.freeLoopbackPort(), 1));
        Path childDir = java.nio.file.Files.createDirectories(dir.resolve("lease").resolve("c"));
        Path childConfig = childDir.resolve("convey.toml");
        java.nio.file.Files.writeString(childConfig, FleetFixtures.memberText(etcd, "lease", "c"));
        try (RunningDaemon a = FleetFixtures.member(dir.resolve("lease"), etcd, "lease", "a")) {
            // A daemon in its own JVM, so that it can die without revoking its lease.
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.convey.Main",
                    "--config=" + childConfig).redirectErrorStream(true)
                    .redirectOutput(childDir.resolve("daemon.log").toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> names(a.getJson("/api/v1/fleet")).contains("c"));
                child.destroyForcibly();
                child.waitFor();
                long killed = System.nanoTime();
                assertThat(names(a.getJson("/api/v1/fleet"))).contains("a", "c"); // its lease has not expired yet
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !names(a.getJson("/api/v1/fleet")).contains("c"));
                System.out.println("fleet: killed member dropped " + (System.nanoTime() - killed) / 1_000_000
                        + " ms after the kill (member_ttl_s = 2)");
                assertThat(names(a.getJson("/api/v1/fleet"))).containsExactly("a");
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static List<String> names(JsonNode fleet) {
        List<String> names = new ArrayList<>();
        fleet.get("members").forEach(m -> names.add(m.get("member").asText()));
        return names;
    }

    static JsonNode member(JsonNode fleet, String name) {
        for (JsonNode m : fleet.get("members")) {
            if (m.get("member").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no member " + name + " in " + fleet);
    }

    private static HttpResponse<String> patch(RunningDaemon daemon, CountDownLatch go, int weight, long ifMatch) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return daemon.send("PATCH", "/api/v1/backends/web/servers/a", daemon.token(), "{\"weight\": " + weight + "}",
                "Content-Type", "application/json", "If-Match", "\"" + ifMatch + "\"");
    }
}
