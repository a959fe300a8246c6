package io.convey.health;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps every call, in order. */
final class Recorder implements HealthListener {
    /** One listener call. */
    record Change(HealthTarget target, HealthStatus status, HealthTransition transition) {}

    private final List<Change> changes = new CopyOnWriteArrayList<>();

    @Override
    public void onChange(HealthTarget target, HealthStatus status, HealthTransition transition) {
        changes.add(new Change(target, status, transition));
    }

    List<Change> changes() {
        return List.copyOf(changes);
    }

    List<Change> changes(HealthTarget target) {
        return changes.stream().filter(change -> change.target().equals(target)).toList();
    }

    int size() {
        return changes.size();
    }
}
