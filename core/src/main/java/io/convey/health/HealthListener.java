package io.convey.health;

/** Receives state changes; called from a checker thread, must not block long. */
@FunctionalInterface
public interface HealthListener {
    /**
     * Called once per transition, in order for a given target, from that target's checker thread.
     *
     * @param status the target's status right after the transition
     */
    void onChange(HealthTarget target, HealthStatus status, HealthTransition transition);

    /** Called after every check of {@code target}, from its checker thread, before any transition it causes. */
    default void onCheck(HealthTarget target, ProbeResult result) {}
}
