package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MaglevTest {

    private static final int M = Maglev.TABLE_SIZE;

    private static Maglev maglev(List<String> ids, int... weights) {
        return (Maglev) Balancer.maglev(ids, weights);
    }

    @Test
    void aFlowKeepsItsServerAcrossPicksAndRebuilds() {
        List<String> ids = List.of("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
        Balancer first = Balancer.maglev(ids, new int[] {1, 1, 1});
        Balancer rebuilt = Balancer.maglev(ids, new int[] {1, 1, 1});
        SplittableRandom random = new SplittableRandom(7);

        for (int i = 0; i < 10_000; i++) {
            long flowKey = random.nextLong();
            int picked = first.pick(flowKey);
            assertThat(first.pick(flowKey)).isEqualTo(picked);
            assertThat(rebuilt.pick(flowKey)).isEqualTo(picked);
        }
        assertThat(Maglev.movedFraction(first, rebuilt)).isZero();
    }

    @Test
    void lookupIsTheTableEntryOfFlowKeyModM() {
        Maglev balancer = maglev(List.of("a", "b", "c"), 1, 1, 1);

        for (int slot : new int[] {0, 1, 12345, M - 1}) {
            String expected = balancer.idAt(slot);
            assertThat(List.of("a", "b", "c").get(balancer.pick(slot))).isEqualTo(expected);
            assertThat(List.of("a", "b", "c").get(balancer.pick(slot + 3L * M))).isEqualTo(expected);
        }
        assertThat(balancer.pick(-1L)).as("flow keys are unsigned").isEqualTo(balancer.pick(Long.remainderUnsigned(-1L, M)));
    }

    @Test
    void removingOneOfThreeServersMovesOnlyItsShare() {
        Maglev before = maglev(List.of("a", "b", "c"), 1, 1, 1);
        Maglev after = maglev(List.of("a", "c"), 1, 1);

        assertThat(Maglev.movedFraction(before, after)).isCloseTo(1.0 / 3, within(0.02)).isLessThanOrEqualTo(0.35);
        int kept = 0;
        int notOnRemoved = 0;
        for (int slot = 0; slot < M; slot++) {
            if (!before.idAt(slot).equals("b")) {
                notOnRemoved++;
                kept += before.idAt(slot).equals(after.idAt(slot)) ? 1 : 0;
            }
        }
        assertThat((double) kept / notOnRemoved).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void addingAServerTakesRoughlyItsShareFromTheOthers() {
        List<String> ten = IntStream.range(0, 10).mapToObj(i -> "server-" + i).toList();
        List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "server-" + i).toList();
        int[] tenWeights = IntStream.range(0, 10).map(i -> 1).toArray();
        int[] elevenWeights = IntStream.range(0, 11).map(i -> 1).toArray();

        double moved = Maglev.movedFraction(Balancer.maglev(ten, tenWeights), Balancer.maglev(eleven, elevenWeights));

        assertThat(moved).isBetween(1.0 / 11 - 0.01, 1.0 / 11 + 0.05);
    }

    @Test
    void equalWeightsGiveEqualShares() {
        double[] shares = Balancer.maglev(List.of("a", "b", "c"), new int[] {1, 1, 1}).expectedShares();

        for (double share : shares) {
            assertThat(share).isCloseTo(1.0 / 3, within(0.01));
        }
    }

    @Test
    void weights1And3GiveQuarterAndThreeQuarterOfFlows() {
        Balancer balancer = Balancer.maglev(List.of("small", "large"), new int[] {1, 3});
        SplittableRandom random = new SplittableRandom(11);
        int[] counts = new int[2];
        for (int i = 0; i < 100_000; i++) {
            counts[balancer.pick(random.nextLong())]++;
        }

        assertThat(balancer.expectedShares()[0]).isCloseTo(0.25, within(0.02));
        assertThat(balancer.expectedShares()[1]).isCloseTo(0.75, within(0.02));
        assertThat(counts[0] / 100_000.0).isCloseTo(0.25, within(0.02));
    }

    @Test
    void weightZeroServersGetNoFlows() {
        double[] shares = Balancer.maglev(List.of("a", "b", "c"), new int[] {2, 0, 1}).expectedShares();

        assertThat(shares[1]).isZero();
        assertThat(shares[0]).isCloseTo(2.0 / 3, within(0.02));
    }

    @Test
    void excludingAServerMovesOnlyItsFlowsToTheNextTableEntries() {
        Maglev balancer = maglev(List.of("a", "b", "c"), 1, 1, 1);
        int movedOffOthers = 0;

        for (int slot = 0; slot < M; slot += 7) {
            int normal = balancer.pick(slot);
            int failover = balancer.pick(slot, i -> 0, i -> i == 0);
            assertThat(failover).isIn(1, 2);
            if (normal != 0 && failover != normal) {
                movedOffOthers++;
            }
        }
        assertThat(movedOffOthers).isZero();
        assertThat(balancer.pick(5, i -> 0, i -> true)).isEqualTo(-1);
    }

    @Test
    void aHundredServersFillTheWholeTable() {
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> "10.1.0." + i + ":443").toList();
        int[] weights = IntStream.range(0, 100).map(i -> 1 + i % 4).toArray();

        double[] shares = Balancer.maglev(ids, weights).expectedShares();

        assertThat(Arrays.stream(shares).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(shares[3] / shares[0]).as("weight 4 vs weight 1").isCloseTo(4.0, within(0.5));
    }

    @Test
    void movedFractionComparesOnlyMaglevBalancers() {
        Balancer maglev = Balancer.maglev(List.of("a"), new int[] {1});
        Balancer empty = Balancer.maglev(List.of("a"), new int[] {0});

        assertThat(Maglev.movedFraction(maglev, empty)).isEqualTo(1.0);
        assertThatThrownBy(() -> Maglev.movedFraction(maglev, Balancer.roundRobin(new int[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("after: SmoothRoundRobin (expected: a Maglev balancer)");
    }
}
