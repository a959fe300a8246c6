package io.convey.balance;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/** Chooses a server for a new connection or flow among a fixed, immutable list of servers. */
public interface Balancer {

    /** The selection strategies a backend pool can use. */
    enum Kind { ROUND_ROBIN, LEAST_CONNECTIONS, MAGLEV }

    /**
     * Index into the server list given at construction, or -1 when no server is eligible.
     *
     * @param flowKey 64-bit hash of the client (address, or address+port), see {@link FlowKeys};
     *                used by Maglev, ignored by the others
     * @param activeConnections current active connections per index; used by least-connections
     * @param excluded indexes to skip (servers already tried for this connection); must be cheap
     *                 and non-blocking because round-robin evaluates it under its lock
     */
    int pick(long flowKey, IntUnaryOperator activeConnections, IntPredicate excluded);

    /** Convenience: {@code pick(flowKey, i -> 0, i -> false)}. */
    default int pick(long flowKey) {
        return pick(flowKey, i -> 0, i -> false);
    }

    /**
     * Expected long-run share of new connections per index: sums to 1 over servers with a
     * non-zero weight, 0 for weight 0, all 0 when no server is eligible. For what-if previews.
     */
    double[] expectedShares();

    /** Number of servers, eligible or not. */
    int size();

    /** Smooth weighted round-robin as in nginx; {@code weights[i]} in 0-65535, 0 = never picked. */
    static Balancer roundRobin(int[] weights) {
        return new SmoothRoundRobin(checkedWeights(weights));
    }

    /** Least active/weight, ties broken by smooth weighted round-robin among the tied servers. */
    static Balancer leastConnections(int[] weights) {
        return new LeastConnections(checkedWeights(weights));
    }

    /** Weighted Maglev consistent hashing over a lookup table of 65537 entries. */
    static Balancer maglev(List<String> ids, int[] weights) {
        int[] checked = checkedWeights(weights);
        return new Maglev(checkedIds(ids, checked.length), checked);
    }

    /** The strategy of the given kind; {@code ids} (unique, one per weight) are validated for every kind. */
    static Balancer create(Kind kind, List<String> ids, int[] weights) {
        Objects.requireNonNull(kind, "kind");
        checkedIds(ids, checkedWeights(weights).length);
        return switch (kind) {
            case ROUND_ROBIN -> roundRobin(weights);
            case LEAST_CONNECTIONS -> leastConnections(weights);
            case MAGLEV -> maglev(ids, weights);
        };
    }

    private static int[] checkedWeights(int[] weights) {
        Objects.requireNonNull(weights, "weights");
        for (int weight : weights) {
            if (weight < 0 || weight > 65535) {
                throw new IllegalArgumentException("weight: " + weight + " (expected: 0-65535)");
            }
        }
        return weights.clone();
    }

    private static List<String> checkedIds(List<String> ids, int expectedSize) {
        Objects.requireNonNull(ids, "ids");
        if (ids.size() != expectedSize) {
            throw new IllegalArgumentException(
                    "ids: " + ids.size() + " entries (expected: " + expectedSize + ", one per weight)");
        }
        List<String> copy = List.copyOf(ids);
        var seen = new HashSet<String>();
        for (String id : copy) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException("ids: duplicate " + id + " (expected: unique)");
            }
        }
        return copy;
    }
}
