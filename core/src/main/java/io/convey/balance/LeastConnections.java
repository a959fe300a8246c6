package io.convey.balance;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Least active connections per unit of weight, ties broken by smooth weighted round-robin among
 * the tied servers, the way nginx's ngx_http_upstream_least_conn_module does it.
 *
 * <p>Active counts change concurrently while a pick runs. The first pass finds the lowest
 * active/weight ratio; the round-robin step then re-reads the counts to find the tied servers.
 * If a count moved in between so that no server matches any more, the server found by the first
 * pass is returned, so a pick never fails while an eligible server exists.
 */
final class LeastConnections implements Balancer {

    private final int[] weights;
    private final SmoothRoundRobin tieBreaker;

    LeastConnections(int[] weights) {
        this.weights = weights;
        this.tieBreaker = new SmoothRoundRobin(weights);
    }

    @Override
    public int pick(long flowKey, IntUnaryOperator activeConnections, IntPredicate excluded) {
        int least = -1;
        long leastActive = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0 || excluded.test(i)) {
                continue;
            }
            long active = active(activeConnections, i);
            // active/weight < leastActive/weights[least], cross-multiplied to stay exact
            if (least < 0 || active * weights[least] < leastActive * weights[i]) {
                least = i;
                leastActive = active;
            }
        }
        if (least < 0) {
            return -1;
        }
        long ratioActive = leastActive;
        long ratioWeight = weights[least];
        int picked = tieBreaker.pickAmong(i -> excluded.test(i)
                || active(activeConnections, i) * ratioWeight != ratioActive * weights[i]);
        return picked >= 0 ? picked : least;
    }

    private static long active(IntUnaryOperator activeConnections, int index) {
        return Math.max(0, activeConnections.applyAsInt(index));
    }

    /** Proportional to weight: with similar connection lifetimes, active counts settle in the weight ratio. */
    @Override
    public double[] expectedShares() {
        return SmoothRoundRobin.proportionalShares(weights);
    }

    @Override
    public int size() {
        return weights.length;
    }
}
