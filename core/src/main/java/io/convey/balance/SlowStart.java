package io.convey.balance;

/**
 * The weight a server has while it ramps up after coming up (slow start, as HAProxy's {@code slowstart}): linear
 * from a small share to its full weight, in {@link #STEPS} equal steps so that a pool is rebuilt at most that many
 * times per ramp (a Maglev table costs a few milliseconds to build). Pure: the elapsed time is passed in.
 */
public final class SlowStart {
    /** Steps of a ramp: the first gives 1/20 (5%) of the weight, the last the full weight. */
    public static final int STEPS = 20;

    private SlowStart() {}

    /** The step reached {@code elapsedMillis} into a ramp of {@code durationMillis}: 1..STEPS, STEPS when over. */
    public static int step(long elapsedMillis, long durationMillis) {
        if (durationMillis <= 0 || elapsedMillis >= durationMillis) {
            return STEPS;
        }
        return (int) Math.max(1, Math.min(STEPS, Math.max(0, elapsedMillis) * STEPS / durationMillis + 1));
    }

    /** The weight at {@code step}: {@code weight * step / STEPS}, rounded, at least 1 for a non-zero weight. */
    public static int weight(int weight, int step) {
        if (weight == 0 || step >= STEPS) {
            return weight;
        }
        return (int) Math.max(1, Math.round((double) weight * step / STEPS));
    }

    /**
     * The factor a pool's weights are multiplied by so that a ramp of small weights (1, the default) still has
     * {@link #STEPS} distinct values: shares are unchanged, since every weight is multiplied alike.
     */
    public static int scale(int maxWeight) {
        return maxWeight <= 0 ? 1 : Math.max(1, Math.min(100, 65_535 / maxWeight));
    }
}
