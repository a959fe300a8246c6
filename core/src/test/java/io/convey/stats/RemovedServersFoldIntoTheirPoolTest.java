package io.convey.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RemovedServersFoldIntoTheirPoolTest {
    private static final StatsRegistry.ServerKey A = new StatsRegistry.ServerKey("p", "a");
    private static final StatsRegistry.ServerKey B = new StatsRegistry.ServerKey("p", "b");

    private static void connection(StatsRegistry stats, String server, long tx, long rx, boolean close) {
        TrafficCounters pool = stats.pool("p");
        TrafficCounters counters = stats.server("p", server);
        pool.opened();
        counters.opened();
        pool.addTx(tx);
        counters.addTx(tx);
        pool.addRx(rx);
        counters.addRx(rx);
        stats.upstream("p", server).connected(1_000_000);
        if (close) {
            pool.closed();
            counters.closed();
            stats.upstream("p", server).closed(5_000_000_000L);
        }
    }

    @Test
    void aRemovedServersTotalsAndHistogramsMoveToItsPoolsRemovedCounters() {
        StatsRegistry stats = new StatsRegistry();
        connection(stats, "a", 10, 20, true);
        connection(stats, "b", 100, 200, true);
        connection(stats, "b", 1000, 2000, true);
        stats.upstream("p", "b").connectFailed(true);

        stats.retain(Set.of(), Set.of("p"), Set.of(A));

        assertThat(stats.servers()).containsOnlyKeys(A);
        assertThat(stats.upstreams()).containsOnlyKeys(A);
        StatsRegistry.Removed removed = stats.removed().get("p");
        assertThat(removed.traffic().snapshot()).isEqualTo(new TrafficCounters.Snapshot(2, 0, 1100, 2200));
        UpstreamCounters.Snapshot upstream = removed.upstream().snapshot();
        assertThat(upstream.connectTimeouts()).isEqualTo(1);
        assertThat(upstream.connectTime().count()).isEqualTo(2);
        assertThat(upstream.duration().count()).isEqualTo(2);
        assertThat(upstream.duration().sumSeconds()).isEqualTo(10.0);
        TrafficCounters.Snapshot a = stats.server("p", "a").snapshot();
        assertThat(a.totalConnections() + removed.traffic().snapshot().totalConnections())
                .isEqualTo(stats.pool("p").snapshot().totalConnections());
        assertThat(a.bytesTx() + removed.traffic().snapshot().bytesTx()).isEqualTo(stats.pool("p").snapshot().bytesTx());
    }

    @Test
    void aServerWithLiveConnectionsIsFoldedOnlyOnceTheyEnd() {
        StatsRegistry stats = new StatsRegistry();
        connection(stats, "b", 1, 2, false);
        stats.retain(Set.of(), Set.of("p"), Set.of(A));
        assertThat(stats.servers()).containsKey(B);
        assertThat(stats.removed()).isEmpty();

        stats.server("p", "b").closed();
        stats.retain(Set.of(), Set.of("p"), Set.of(A));
        assertThat(stats.servers()).doesNotContainKey(B);
        assertThat(stats.removed().get("p").traffic().snapshot().totalConnections()).isEqualTo(1);
    }

    @Test
    void aRemovedPoolTakesItsRemovedCountersWithIt() {
        StatsRegistry stats = new StatsRegistry();
        connection(stats, "b", 1, 2, true);
        stats.retain(Set.of(), Set.of("p"), Set.of(A));
        assertThat(stats.removed()).containsOnlyKeys("p");
        stats.retain(Set.of(), Set.of(), Set.of());
        assertThat(stats.removed()).isEmpty();
    }

    @Test
    void histogramBucketsIncludeTheirUpperBound() {
        Histogram h = new Histogram(new double[] {0.001, 0.01});
        h.observeNanos(1_000_000); // exactly 1 ms: le="0.001"
        h.observeNanos(1_000_001);
        h.observeNanos(50_000_000);
        assertThat(h.snapshot().counts()).containsExactly(1, 1, 1);
    }
}
