package io.convey.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a member publishes under its lease: the revision it runs, the last one it could not apply and why, where its
 * configuration came from ({@code etcd}, or {@code mirror} when it started without etcd), its mode, uptime,
 * traffic totals, and the health it sees for each server ({@code pool/server} to {@code up}, {@code down} or
 * {@code unchecked}).
 */
public record MemberState(String member, long revision, @JsonProperty("rejected_revision") long rejectedRevision,
        @JsonProperty("rejected_problems") List<String> rejectedProblems, String source, String mode,
        @JsonProperty("started_at") Instant startedAt, @JsonProperty("uptime_s") long uptimeS,
        Map<String, Long> totals, Map<String, String> health, @JsonProperty("updated_at") Instant updatedAt) {

    public MemberState {
        rejectedProblems = rejectedProblems == null ? List.of() : List.copyOf(rejectedProblems);
        totals = totals == null ? Map.of() : Map.copyOf(totals);
        health = health == null ? Map.of() : new java.util.TreeMap<>(health);
    }

    String json() throws IOException {
        return Fleet.JSON.writeValueAsString(this);
    }

    static Optional<MemberState> parse(String json) {
        try {
            return Optional.of(Fleet.JSON.readValue(json, MemberState.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
