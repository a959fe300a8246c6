package io.convey.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a member's state at {@code /convey/<name>/members/<member>} under a lease of {@code ttl}, renewed every
 * third of it: a member that dies stops renewing and its record goes when the lease expires; a member that stops
 * revokes its lease and goes at once. The record is rewritten when what others must see changes (revision, a refused
 * revision, source, health), and otherwise at most every {@link #REWRITE_AT_LEAST}: every put is an etcd revision,
 * kept until etcd compacts, so uptime and traffic totals alone do not cause one at each renewal. One thread.
 */
public final class MemberLease implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(MemberLease.class);

    private final Fleet fleet;
    private final String key;
    private final Duration ttl;
    private final Supplier<MemberState> state;
    private final ScheduledExecutorService thread;
    /** How stale the uptime and totals in a record may get. */
    static final java.time.Duration REWRITE_AT_LEAST = java.time.Duration.ofSeconds(30);
    private long lease; // these three: touched by the lease thread only
    private MemberState published;
    private long publishedAt;
    private volatile boolean failing;

    public MemberLease(Fleet fleet, String member, Duration ttl, Supplier<MemberState> state) {
        this.fleet = fleet;
        this.key = fleet.membersPrefix() + member;
        this.ttl = ttl;
        this.state = state;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("fleet-member-" + member).unstarted(r));
        long period = Math.max(200, ttl.toMillis() / 3);
        thread.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Rewrites the record soon (a revision applied or refused), without waiting for the next renewal. */
    public void publishNow() {
        if (!thread.isShutdown()) {
            thread.execute(this::refresh);
        }
    }

    private void refresh() {
        try {
            boolean fresh = false;
            if (lease == 0 || !fleet.etcd().keepAlive(lease)) {
                lease = fleet.etcd().grantLease(ttl);
                fresh = true;
            }
            MemberState now = state.get();
            long nanos = System.nanoTime();
            if (fresh || published == null || !published.essentials().equals(now.essentials())
                    || nanos - publishedAt > REWRITE_AT_LEAST.toNanos()) {
                fleet.etcd().put(key, now.json(), lease);
                published = now;
                publishedAt = nanos;
            }
            if (failing) {
                failing = false;
                log.info("fleet member record published again key={}", key);
            }
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                log.warn("fleet member record not published key={}: {}", key, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("fleet member record failed key={}", key, e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (lease != 0) {
            try {
                fleet.etcd().revoke(lease); // the member leaves the fleet view at once
            } catch (IOException e) {
                log.debug("lease not revoked key={} (it expires)", key, e);
            }
        }
    }
}
