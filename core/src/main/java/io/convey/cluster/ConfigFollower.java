package io.convey.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the fleet's configuration key: a watch from the revision after the last one the member has seen, so
 * that after a lost connection the revisions written meanwhile arrive first and in order; when etcd has compacted
 * them away, the latest revision is read instead. Runs one thread; the listener is called on it, one revision at
 * a time.
 */
public final class ConfigFollower implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(ConfigFollower.class);

    /** Receives revisions and connection changes, on the follower's thread. */
    public interface Listener {
        void revision(Fleet.Revision revision);

        /** {@code why} says what failed when {@code connected} is false. */
        void connection(boolean connected, String why);
    }

    private final Fleet fleet;
    private final LongSupplier lastSeen;
    private final Listener listener;
    private final Duration retry;
    private final Thread thread;
    private volatile boolean closed;
    private volatile EtcdClient.Watch watch;

    /** Starts following; {@code lastSeen} is the newest revision the member has applied or refused. */
    public ConfigFollower(Fleet fleet, LongSupplier lastSeen, Listener listener, Duration retry) {
        this.fleet = fleet;
        this.lastSeen = lastSeen;
        this.listener = listener;
        this.retry = retry;
        this.thread = Thread.ofPlatform().daemon().name("fleet-watch-" + fleet.name()).start(this::run);
    }

    private void run() {
        while (!closed) {
            String why;
            try {
                follow();
                why = "etcd ended the watch";
            } catch (IOException e) {
                why = e.getMessage();
            } catch (RuntimeException e) {
                log.warn("fleet watch failed fleet={}", fleet.name(), e);
                why = e.toString();
            }
            if (closed) {
                return;
            }
            listener.connection(false, why);
            LockSupport.parkNanos(retry.toNanos()); // close() unparks
        }
    }

    private void follow() throws IOException {
        long from = lastSeen.getAsLong() + 1;
        try (EtcdClient.Watch w = fleet.etcd().watch(fleet.configKey(), from)) {
            watch = w;
            if (closed) {
                return;
            }
            // Revisions written while we were away come first, in order; if etcd compacted them, it cancels the
            // watch with the compaction revision and the latest is read below.
            listener.connection(true, null);
            EtcdClient.WatchAnswer answer;
            while ((answer = w.next()) != null) {
                if (answer.compactRevision() > 0 || answer.canceled()) {
                    log.info("fleet watch: revisions from {} were compacted, reading the latest fleet={} compacted={}",
                            from, fleet.name(), answer.compactRevision());
                    catchUp();
                    return; // watch again from the revision after the latest
                }
                for (KeyValue kv : answer.puts()) {
                    if (kv.modRevision() > lastSeen.getAsLong()) {
                        listener.revision(new Fleet.Revision(kv.modRevision(), kv.value()));
                    }
                }
                if (answer.deleted()) {
                    log.warn("fleet config key deleted, the running configuration stays fleet={} key={}", fleet.name(),
                            fleet.configKey());
                }
            }
        } finally {
            watch = null;
        }
    }

    private void catchUp() throws IOException {
        fleet.current().filter(r -> r.revision() > lastSeen.getAsLong()).ifPresent(listener::revision);
    }

    @Override
    public void close() {
        closed = true;
        EtcdClient.Watch w = watch;
        if (w != null) {
            w.close();
        }
        LockSupport.unpark(thread);
        thread.interrupt();
    }
}
