package io.convey.engine;

import io.convey.cluster.MemberState;
import io.convey.config.Problem;
import io.convey.health.HealthStatus;
import io.convey.stats.TrafficCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a member publishes about itself, read from the engine: traffic totals and the health it sees per server. */
final class MemberRecord {
    private MemberRecord() {}

    static MemberState of(Engine engine, String member, long revision, long rejectedRevision, List<Problem> rejected,
            String source) {
        TrafficCounters.Snapshot totals = engine.stats().global().snapshot();
        Map<String, String> health = new LinkedHashMap<>();
        for (PoolView pool : engine.pools()) {
            for (PoolView.ServerView s : pool.servers()) {
                HealthStatus h = s.health();
                health.put(pool.config().name() + "/" + s.name(), h == null || !h.checked() ? "unchecked"
                        : h.up() ? "up" : "down");
            }
        }
        Instant now = Instant.now();
        return new MemberState(member, revision, rejectedRevision, rejected.stream().map(Problem::toString).toList(),
                source, engine.mode().id(), engine.startedAt(), Duration.between(engine.startedAt(), now).toSeconds(),
                new MemberState.Totals(totals.totalConnections(), totals.currentConnections(), totals.bytesTx(),
                        totals.bytesRx()), health, now);
    }
}
