package io.convey.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BalancerTest {

    private static final List<String> IDS = List.of("a", "b", "c", "d");

    @ParameterizedTest
    @EnumSource(Balancer.Kind.class)
    void noServerOrOnlyZeroWeightsPicksNothing(Balancer.Kind kind) {
        Balancer empty = Balancer.create(kind, List.of(), new int[0]);
        Balancer zero = Balancer.create(kind, List.of("a", "b"), new int[] {0, 0});

        assertThat(empty.pick(42)).isEqualTo(-1);
        assertThat(empty.size()).isZero();
        assertThat(zero.pick(42)).isEqualTo(-1);
        assertThat(zero.expectedShares()).containsExactly(0.0, 0.0);
    }

    @ParameterizedTest
    @EnumSource(Balancer.Kind.class)
    void everyExclusionStillYieldsAnEligibleServerWhenOneIsLeft(Balancer.Kind kind) {
        int[] weights = {2, 0, 1, 3};
        Balancer balancer = Balancer.create(kind, IDS, weights);

        for (int mask = 0; mask < 16; mask++) {
            int excludedMask = mask;
            IntPredicate excluded = i -> (excludedMask & 1 << i) != 0;
            boolean anyLeft = (excludedMask & 0b1101) != 0b1101;
            for (long flowKey = 0; flowKey < 200; flowKey++) {
                int picked = balancer.pick(FlowKeys.flowKey((int) flowKey, 0), i -> i, excluded);
                if (anyLeft) {
                    assertThat(picked).as("mask %s", Integer.toBinaryString(mask)).isBetween(0, 3);
                    assertThat(weights[picked]).isPositive();
                    assertThat(excluded.test(picked)).isFalse();
                } else {
                    assertThat(picked).isEqualTo(-1);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Balancer.Kind.class)
    void expectedSharesSumToOneAndFollowWeights(Balancer.Kind kind) {
        double[] shares = Balancer.create(kind, IDS, new int[] {1, 0, 1, 2}).expectedShares();

        assertThat(shares[0] + shares[1] + shares[2] + shares[3]).isCloseTo(1.0, within(1e-9));
        assertThat(shares[1]).isZero();
        assertThat(shares[3]).isCloseTo(0.5, within(0.02));
    }

    @Test
    void createBuildsTheRequestedStrategy() {
        int[] weights = {1, 1, 1, 1};

        assertThat(Balancer.create(Balancer.Kind.MAGLEV, IDS, weights)).isInstanceOf(Maglev.class);
        assertThat(Balancer.create(Balancer.Kind.ROUND_ROBIN, IDS, weights)).isInstanceOf(SmoothRoundRobin.class);
        assertThat(Balancer.create(Balancer.Kind.LEAST_CONNECTIONS, IDS, weights)).isInstanceOf(LeastConnections.class);
    }

    @Test
    void laterChangesToTheWeightsArrayDoNotAffectTheBalancer() {
        int[] weights = {1, 0};
        Balancer balancer = Balancer.roundRobin(weights);

        weights[0] = 0;
        weights[1] = 1;

        assertThat(balancer.pick(0)).isEqualTo(0);
    }

    @Test
    void rejectsInvalidInputWithTheUsualMessage() {
        assertThatThrownBy(() -> Balancer.roundRobin(new int[] {1, 70000}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> Balancer.leastConnections(new int[] {-1}))
                .hasMessage("weight: -1 (expected: 0-65535)");
        assertThatThrownBy(() -> Balancer.maglev(List.of("a"), new int[] {1, 1}))
                .hasMessage("ids: 1 entries (expected: 2, one per weight)");
        assertThatThrownBy(() -> Balancer.maglev(List.of("a", "a"), new int[] {1, 1}))
                .hasMessage("ids: duplicate a (expected: unique)");
    }
}
