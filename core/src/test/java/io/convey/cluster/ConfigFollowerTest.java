package io.convey.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.EtcdCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's catch-up: missed revisions in order, or the latest one when etcd compacted the missed ones. */
class ConfigFollowerTest {
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
    void revisionsMissedWhileAwayArriveInOrder() throws Exception {
        Fleet fleet = FleetFixtures.fleet(etcd, "follow");
        long r1 = write(fleet, 0, "one");
        long r2 = write(fleet, r1, "two");
        long r3 = write(fleet, r2, "three");
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (ConfigFollower follower = follower(fleet, r1, seen)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            long r4 = write(fleet, r3, "four");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).containsExactly(r2, r3, r4));
        }
    }

    @Test
    void revisionsCompactedAwayAreSkippedToTheLatest() throws Exception {
        Fleet fleet = FleetFixtures.fleet(etcd, "compacted");
        long r1 = write(fleet, 0, "one");
        long r2 = write(fleet, r1, "two");
        long r3 = write(fleet, r2, "three");
        compact(r3);
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (ConfigFollower follower = follower(fleet, r1, seen)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).containsExactly(r3));
        }
    }

    private static ConfigFollower follower(Fleet fleet, long lastSeen, List<Long> seen) {
        long[] last = {lastSeen};
        return new ConfigFollower(fleet, () -> last[0], new ConfigFollower.Listener() {
            @Override
            public void revision(Fleet.Revision revision) {
                seen.add(revision.revision());
                last[0] = revision.revision();
            }

            @Override
            public void connection(boolean connected, String why) {}
        }, Duration.ofMillis(200));
    }

    private static long write(Fleet fleet, long on, String text) throws Exception {
        return fleet.write(text, on, new Fleet.Change("test", "test", text, Instant.now())).orElseThrow();
    }

    private static void compact(long revision) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(etcd.endpoints().getFirst() + "/v3/kv/compaction"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":\"" + revision + "\",\"physical\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
