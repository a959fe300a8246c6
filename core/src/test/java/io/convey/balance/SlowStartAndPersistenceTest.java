package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowStartAndPersistenceTest {

    @Test
    void aRampGrowsLinearlyInTwentyStepsFromFivePercent() {
        List<Integer> weights = new ArrayList<>();
        for (long ms = 0; ms <= 10_000; ms += 500) {
            weights.add(SlowStart.weight(100, SlowStart.step(ms, 10_000)));
        }
        assertThat(weights).containsExactly(5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95,
                100, 100);
        assertThat(SlowStart.weight(1, 1)).as("never 0 while eligible").isEqualTo(1);
        assertThat(SlowStart.step(5, 0)).isEqualTo(SlowStart.STEPS);
    }

    @Test
    void scalingGivesSmallWeightsRoomToRampWithoutLeavingTheWeightRange() {
        assertThat(SlowStart.scale(1)).isEqualTo(100);
        assertThat(SlowStart.scale(1000)).isEqualTo(65);
        assertThat(SlowStart.scale(65_535)).isEqualTo(1);
    }

    @Test
    void aRampedMaglevTableGivesTheRampingServerAGrowingShare() {
        double previous = 0;
        for (int step = 1; step <= SlowStart.STEPS; step++) {
            Balancer maglev = Balancer.maglev(List.of("a", "b"), new int[] {100, SlowStart.weight(100, step)});
            double share = maglev.expectedShares()[1];
            assertThat(share).isGreaterThan(previous);
            previous = share;
        }
        assertThat(previous).isEqualTo(0.5, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void persistenceForgetsAfterTheTimeoutAndTheLeastRecentlyUsedFirst() {
        PersistenceTable table = new PersistenceTable(2);
        table.remember(1, "a", 0);
        table.remember(2, "b", 10);
        assertThat(table.lookup(1, 20, 100)).isEqualTo("a"); // 1 is now the most recently used
        table.remember(3, "c", 30);
        assertThat(table.lookup(2, 40, 100)).isNull();
        assertThat(table.lookup(1, 50, 100)).isEqualTo("a");
        assertThat(table.lookup(3, 131, 100)).isNull();
        assertThat(table.size()).isEqualTo(1);
    }
}
