package io.convey.traffic;

/**
 * Takes a frontend's access-log entries. Called on event loops and packet workers, so implementations hand the entry
 * on without blocking (a bounded queue that counts what it drops).
 */
public interface AccessSink {
    /** Takes one entry; never blocks. */
    void log(AccessEntry entry);

    /** False when the frontend has no access log: callers then build no entry at all. */
    default boolean enabled() {
        return true;
    }

    /** The sink of a frontend without an access log. */
    AccessSink OFF = new AccessSink() {
        @Override
        public void log(AccessEntry entry) {}

        @Override
        public boolean enabled() {
            return false;
        }
    };
}
