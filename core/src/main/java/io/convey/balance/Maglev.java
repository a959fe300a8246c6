package io.convey.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Weighted Maglev consistent hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, §3.4): a flow goes to {@code table[flowKey mod M]}, and
 * removing a server moves only the flows it held, plus a small disruption elsewhere.
 *
 * <p>Immutable once built, so picks need no lock. {@link #movedFraction} lives here because it
 * compares two tables.
 */
public final class Maglev implements Balancer {

    /** Lookup table size M: a prime, so every skip in 1..M-1 walks a full permutation; the paper's 65537. */
    static final int TABLE_SIZE = 65537;

    private static final long OFFSET_SEED = 0x243f6a8885a308d3L;
    private static final long SKIP_SEED = 0x13198a2e03707344L;

    private final List<String> ids;
    private final int[] weights;
    /** Server index per slot; empty when no server has a non-zero weight. */
    private final int[] table;

    Maglev(List<String> ids, int[] weights) {
        this.ids = ids;
        this.weights = weights;
        this.table = buildTable(ids, weights);
    }

    /**
     * Fills the table the way Katran's MaglevHashV2 does: servers take turns in the order of their ids, each
     * with its own permutation (offset, offset+skip, ... mod M, from two independent hashes of its
     * id) claiming its next free slot; weight enters as credit, a server earns its weight per round
     * and claims a slot each time its credit reaches the largest weight. The heaviest server claims
     * every round, a server of half that weight every other round, so slot counts follow the
     * weights. Worst case O(M * n): at most M rounds of n servers, plus the permutation walks.
     */
    private static int[] buildTable(List<String> ids, int[] weights) {
        int maxWeight = Arrays.stream(weights).max().orElse(0);
        if (maxWeight == 0) {
            return new int[0];
        }
        int n = weights.length;
        int[] next = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = (int) Long.remainderUnsigned(FlowKeys.hash(ids.get(i), OFFSET_SEED), TABLE_SIZE);
            skip[i] = (int) Long.remainderUnsigned(FlowKeys.hash(ids.get(i), SKIP_SEED), TABLE_SIZE - 1) + 1;
        }
        // Turns go in the order of the ids, not of the list: two appliances whose files list the same servers in
        // different orders still build the same table.
        Integer[] turns = new Integer[n];
        Arrays.setAll(turns, i -> i);
        Arrays.sort(turns, (x, y) -> ids.get(x).compareTo(ids.get(y)));
        int[] table = new int[TABLE_SIZE];
        Arrays.fill(table, -1);
        long[] credit = new long[n];
        int filled = 0;
        while (true) {
            for (int i : turns) {
                credit[i] += weights[i];
                if (weights[i] == 0 || credit[i] < maxWeight) {
                    continue;
                }
                credit[i] -= maxWeight;
                int slot = next[i];
                while (table[slot] >= 0) {
                    slot = advance(slot, skip[i]);
                }
                table[slot] = i;
                next[i] = advance(slot, skip[i]);
                if (++filled == TABLE_SIZE) {
                    return table;
                }
            }
        }
    }

    private static int advance(int slot, int skip) {
        int nextSlot = slot + skip;
        return nextSlot >= TABLE_SIZE ? nextSlot - TABLE_SIZE : nextSlot;
    }

    /**
     * {@code table[flowKey mod M]}; if that server is excluded, the next slots in table order until
     * one is not, which spreads an excluded server's flows over the others by their table shares.
     */
    @Override
    public int pick(long flowKey, IntUnaryOperator activeConnections, IntPredicate excluded) {
        if (!anyEligible(excluded)) {
            return -1;
        }
        int slot = (int) Long.remainderUnsigned(flowKey, TABLE_SIZE);
        while (excluded.test(table[slot])) {
            slot = slot + 1 == TABLE_SIZE ? 0 : slot + 1;
        }
        return table[slot];
    }

    private boolean anyEligible(IntPredicate excluded) {
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0 && !excluded.test(i)) {
                return true;
            }
        }
        return false;
    }

    /** The share of table slots per server: exactly the share of uniformly spread flow keys. */
    @Override
    public double[] expectedShares() {
        int[] slots = new int[weights.length];
        for (int index : table) {
            slots[index]++;
        }
        double[] shares = new double[weights.length];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = (double) slots[i] / TABLE_SIZE;
        }
        return shares;
    }

    @Override
    public int size() {
        return weights.length;
    }

    /** The id of the server owning {@code slot}, or null when no server is eligible. */
    String idAt(int slot) {
        return table.length == 0 ? null : ids.get(table[slot]);
    }

    /**
     * Fraction of the lookup table (that is, of flows) whose server id differs between two Maglev
     * balancers; what a reload or a weight change would remap.
     */
    public static double movedFraction(Balancer before, Balancer after) {
        Maglev from = asMaglev("before", before);
        Maglev to = asMaglev("after", after);
        int moved = 0;
        for (int slot = 0; slot < TABLE_SIZE; slot++) {
            if (!Objects.equals(from.idAt(slot), to.idAt(slot))) {
                moved++;
            }
        }
        return (double) moved / TABLE_SIZE;
    }

    private static Maglev asMaglev(String name, Balancer balancer) {
        Objects.requireNonNull(balancer, name);
        if (balancer instanceof Maglev maglev) {
            return maglev;
        }
        throw new IllegalArgumentException(
                name + ": " + balancer.getClass().getSimpleName() + " (expected: a Maglev balancer)");
    }
}
