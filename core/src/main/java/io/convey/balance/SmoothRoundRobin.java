package io.convey.balance;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Smooth weighted round-robin, as introduced in nginx's ngx_http_upstream_round_robin.c by commit
 * 52327e0627f49dbda1e8db695e63a4b0af4448b1 (smooth weighted round-robin).
 *
 * <p>Each pick adds every candidate's weight to its current weight, takes the candidate with the
 * largest current weight (the first one on a tie) and subtracts the candidates' total from it.
 * Over any window of sum(weights) picks every server is chosen exactly weight times, spread out:
 * {5, 1, 1} gives a a b a c a a. As in nginx's get_peer, skipped servers (excluded, weight 0)
 * neither gain current weight nor count in the total, so failover stays within the same cycle.
 * nginx's effective_weight (slow recovery after failures) is left out: health is decided elsewhere.
 */
final class SmoothRoundRobin implements Balancer {

    private final int[] weights;
    /** Guarded by {@code this}. */
    private final long[] currentWeights;

    SmoothRoundRobin(int[] weights) {
        this.weights = weights;
        this.currentWeights = new long[weights.length];
    }

    @Override
    public int pick(long flowKey, IntUnaryOperator activeConnections, IntPredicate excluded) {
        return pickAmong(excluded);
    }

    /**
     * One smooth round-robin step over the servers with a non-zero weight that {@code skip} lets
     * through; -1 when there is none.
     *
     * <p>Synchronized because a step reads and writes every current weight: two interleaved steps
     * would lose updates and break the exact per-cycle counts. The section is one O(n) pass with no
     * I/O, taken once per new connection, never per packet or per read.
     */
    synchronized int pickAmong(IntPredicate skip) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0 || skip.test(i)) {
                continue;
            }
            currentWeights[i] += weights[i];
            total += weights[i];
            if (best < 0 || currentWeights[i] > currentWeights[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            currentWeights[best] -= total;
        }
        return best;
    }

    @Override
    public double[] expectedShares() {
        return proportionalShares(weights);
    }

    @Override
    public int size() {
        return weights.length;
    }

    /** weight / sum(weights) per index, all 0 when every weight is 0. */
    static double[] proportionalShares(int[] weights) {
        long sum = 0;
        for (int weight : weights) {
            sum += weight;
        }
        double[] shares = new double[weights.length];
        for (int i = 0; sum > 0 && i < weights.length; i++) {
            shares[i] = (double) weights[i] / sum;
        }
        return shares;
    }
}
