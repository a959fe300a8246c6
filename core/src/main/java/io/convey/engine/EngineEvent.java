package io.convey.engine;

import io.convey.config.Problem;
import io.convey.stats.SeriesRecorder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Something that changed in the running appliance, for logs, the event stream and history. */
public sealed interface EngineEvent {
    Instant at();

    /** A server's health changed. */
    record HealthChanged(Instant at, String pool, String server, String addr, boolean up, String reason)
            implements EngineEvent {}

    /**
     * A new configuration version is running. {@code text} is the TOML it came from, when known; {@code by} who
     * asked (a user, {@code "<token> (token of <user>)"}, or the source for non-API changes: file, startup, ...).
     */
    record ConfigApplied(Instant at, long version, String source, String summary, String text, String by)
            implements EngineEvent {}

    /** One per-second sample of every scope ("appliance", "frontend/x", "pool/x", "server/pool/x"). */
    record StatsSampled(Instant at, Map<String, SeriesRecorder.Sample> samples)
            implements EngineEvent {}

    /** A configuration was rejected; the running one stays. */
    record ConfigRejected(Instant at, String source, List<Problem> problems) implements EngineEvent {}

    /** The operator put the appliance in maintenance ({@code on}) or took it out; {@code by} is who asked. */
    record MaintenanceChanged(Instant at, boolean on, String by) implements EngineEvent {}

    /** A VIP's announcement changed (announced, draining, withdrawn) and why; reported by the announce adapter. */
    record AnnounceChanged(Instant at, String vip, String state, String reason) implements EngineEvent {}

    /** keepalived reported a new VRRP state for an instance (MASTER, BACKUP, FAULT...). */
    record VrrpChanged(Instant at, String instance, String state, int priority) implements EngineEvent {}
}
