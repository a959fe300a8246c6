package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.convey.cluster.MemberState;
import io.convey.config.ConfigEditException;
import io.convey.engine.FleetSync;
import io.javalin.config.JavalinConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/v1/fleet}: the fleet's members, the revision each runs, drift, and disagreements about health. */
final class FleetRoutes {
    private final Optional<FleetSync> fleet;

    FleetRoutes(Optional<FleetSync> fleet) {
        this.fleet = fleet;
    }

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/fleet", ctx -> ctx.json(view(fleet.orElseThrow(() -> ApiErrors.notFound(
                "this appliance is not in a fleet", "cluster",
                "not configured (expected: a [cluster] section naming etcd_endpoints and the fleet's name)")))),
                Access.VIEWER);
    }

    /**
     * The fleet as etcd holds it; with etcd unreachable, {@code reachable} is false, {@code problem} says why and
     * the members are unknown ({@code revision} is then this member's own).
     */
    record Fleet(String name, String member, @JsonProperty("etcd_endpoints") List<String> etcdEndpoints,
            boolean reachable, String problem, long revision, List<Member> members, List<Disagreement> disagreements) {}

    /** One member's published record; {@code drift} when it does not run the fleet's revision. */
    record Member(String member, long revision, boolean drift, @JsonProperty("rejected_revision") long rejectedRevision,
            @JsonProperty("rejected_problems") List<String> rejectedProblems, String source, String mode,
            @JsonProperty("started_at") Instant startedAt, @JsonProperty("uptime_s") long uptimeS,
            MemberState.Totals totals, Map<String, String> health, @JsonProperty("updated_at") Instant updatedAt) {}

    /** A server (pool/server) that some members see up and others down, with each member's view. */
    record Disagreement(String server, Map<String, String> health) {}

    static Fleet view(FleetSync sync) {
        try {
            long revision = sync.latestRevision();
            List<MemberState> states = sync.members();
            List<Member> members = states.stream().map(m -> new Member(m.member(), m.revision(), m.revision() != revision,
                    m.rejectedRevision(), m.rejectedProblems(), m.source(), m.mode(), m.startedAt(), uptime(m),
                    m.totals(), m.health(), m.updatedAt())).toList();
            return new Fleet(sync.name(), sync.member(), sync.endpoints(), true, null, revision, members,
                    disagreements(states));
        } catch (ConfigEditException e) {
            String why = e.problems().isEmpty() ? e.getMessage() : e.problems().getFirst().message();
            return new Fleet(sync.name(), sync.member(), sync.endpoints(), false, why, sync.appliedRevision(), List.of(),
                    List.of());
        }
    }

    /** From the start time: a record is rewritten for its uptime only now and then. */
    private static long uptime(MemberState m) {
        return m.startedAt() == null ? m.uptimeS() : Math.max(m.uptimeS(),
                java.time.Duration.between(m.startedAt(), Instant.now()).toSeconds());
    }

    static List<Disagreement> disagreements(List<MemberState> members) {
        List<Disagreement> out = new ArrayList<>();
        MemberState.disagreements(members).forEach((server, health) -> out.add(new Disagreement(server, health)));
        return out;
    }
}
