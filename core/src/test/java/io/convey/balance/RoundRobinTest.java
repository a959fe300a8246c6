package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    private static int[] picks(Balancer balancer, int count) {
        return IntStream.range(0, count).map(i -> balancer.pick(i)).toArray();
    }

    private static int[] counts(int[] picks, int size) {
        int[] counts = new int[size];
        for (int pick : picks) {
            counts[pick]++;
        }
        return counts;
    }

    @Test
    void followsTheNginxSequenceForWeights5_1_1() {
        Balancer balancer = Balancer.roundRobin(new int[] {5, 1, 1});

        assertThat(picks(balancer, 14)).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void weights1And3GiveExactly100And300Of400PicksInterleaved() {
        int[] picks = picks(Balancer.roundRobin(new int[] {1, 3}), 400);

        assertThat(counts(picks, 2)).containsExactly(100, 300);
        for (int start = 0; start < 400; start += 4) {
            int[] window = Arrays.copyOfRange(picks, start, start + 4);
            assertThat(counts(window, 2)).as("picks %d-%d", start, start + 3).containsExactly(1, 3);
        }
        assertThat(Arrays.copyOf(picks, 4)).containsExactly(1, 0, 1, 1);
    }

    @Test
    void weightZeroIsNeverPicked() {
        int[] picks = picks(Balancer.roundRobin(new int[] {0, 2, 0, 1}), 300);

        assertThat(counts(picks, 4)).containsExactly(0, 200, 0, 100);
    }

    @Test
    void excludedServersAreSkippedAndTheRestKeepTheirRatio() {
        Balancer balancer = Balancer.roundRobin(new int[] {5, 1, 2});

        int[] picks = IntStream.range(0, 30).map(i -> balancer.pick(0, s -> 0, s -> s == 0)).toArray();

        assertThat(counts(picks, 3)).containsExactly(0, 10, 20);
        assertThat(balancer.pick(0, s -> 0, s -> s != 1)).isEqualTo(1);
        assertThat(balancer.pick(0, s -> 0, s -> true)).isEqualTo(-1);
    }

    @Test
    void concurrentPicksKeepExactCounts() throws Exception {
        Balancer balancer = Balancer.roundRobin(new int[] {1, 3});
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> counts(picks(balancer, 10_000), 2)));
            }
            int[] total = new int[2];
            for (Future<int[]> result : results) {
                int[] counts = result.get(30, TimeUnit.SECONDS);
                total[0] += counts[0];
                total[1] += counts[1];
            }
            assertThat(total).containsExactly(10_000, 30_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expectedSharesFollowWeights() {
        assertThat(Balancer.roundRobin(new int[] {1, 3, 0}).expectedShares()).containsExactly(0.25, 0.75, 0.0);
        assertThat(Balancer.roundRobin(new int[] {0, 0}).expectedShares()).containsExactly(0.0, 0.0);
    }
}
