package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {

    @Test
    void picksTheLeastLoadedAndAlternatesAmongTies() {
        Balancer balancer = Balancer.leastConnections(new int[] {1, 1, 1});
        int[] active = {5, 1, 1};

        int[] picks = IntStream.range(0, 4).map(i -> balancer.pick(0, s -> active[s], s -> false)).toArray();

        assertThat(picks).containsExactly(1, 2, 1, 2);
    }

    @Test
    void comparesActiveConnectionsPerUnitOfWeight() {
        Balancer balancer = Balancer.leastConnections(new int[] {1, 4});

        assertThat(balancer.pick(0, s -> new int[] {1, 3}[s], s -> false)).as("1/1 vs 3/4").isEqualTo(1);
        assertThat(balancer.pick(0, s -> new int[] {1, 5}[s], s -> false)).as("1/1 vs 5/4").isEqualTo(0);
    }

    @Test
    void keepsConnectionsInTheWeightRatioWhileTheyAccumulate() {
        Balancer balancer = Balancer.leastConnections(new int[] {1, 2, 0});
        int[] active = new int[3];

        for (int i = 0; i < 300; i++) {
            active[balancer.pick(0, s -> active[s], s -> false)]++;
        }

        assertThat(active).containsExactly(100, 200, 0);
    }

    @Test
    void tiesAreBrokenBySmoothWeightedRoundRobin() {
        Balancer balancer = Balancer.leastConnections(new int[] {1, 3});
        int[] counts = new int[2];

        for (int i = 0; i < 400; i++) {
            counts[balancer.pick(0, s -> 0, s -> false)]++;
        }

        assertThat(counts).containsExactly(100, 300);
    }

    @Test
    void skipsExcludedServersEvenWhenTheyAreLeastLoaded() {
        Balancer balancer = Balancer.leastConnections(new int[] {1, 1, 1});

        assertThat(balancer.pick(0, s -> new int[] {0, 5, 9}[s], s -> s == 0)).isEqualTo(1);
        assertThat(balancer.pick(0, s -> 0, s -> true)).isEqualTo(-1);
    }

    @Test
    void countsThatChangeDuringAPickStillYieldAnEligibleServer() {
        Balancer balancer = Balancer.leastConnections(new int[] {1, 1, 1});
        AtomicInteger calls = new AtomicInteger();

        for (int i = 0; i < 100; i++) {
            int picked = balancer.pick(0, s -> calls.incrementAndGet() * (s + 1), s -> s == 2);
            assertThat(picked).isIn(0, 1);
        }
    }
}
