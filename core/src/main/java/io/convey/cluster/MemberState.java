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
        Totals totals, Map<String, String> health, @JsonProperty("updated_at") Instant updatedAt) {

    /** Connections since start, open now, bytes sent to and received from clients. */
    public record Totals(long connections, long active, @JsonProperty("bytes_tx") long bytesTx,
            @JsonProperty("bytes_rx") long bytesRx) {}

    public MemberState {
        rejectedProblems = rejectedProblems == null ? List.of() : List.copyOf(rejectedProblems);
        totals = totals == null ? new Totals(0, 0, 0, 0) : totals;
        health = health == null ? Map.of() : new java.util.TreeMap<>(health);
    }

    /**
     * The servers ({@code pool/server}) that some members see up and others down, each with every member's view;
     * {@code unchecked} disagrees with nobody.
     */
    public static Map<String, Map<String, String>> disagreements(List<MemberState> members) {
        java.util.TreeSet<String> servers = new java.util.TreeSet<>();
        members.forEach(m -> servers.addAll(m.health().keySet()));
        Map<String, Map<String, String>> out = new java.util.LinkedHashMap<>();
        for (String server : servers) {
            Map<String, String> seen = new java.util.TreeMap<>();
            members.forEach(m -> {
                String h = m.health().get(server);
                if (h != null) {
                    seen.put(m.member(), h);
                }
            });
            if (seen.containsValue("up") && seen.containsValue("down")) {
                out.put(server, seen);
            }
        }
        return out;
    }

    /** This state without what changes all the time (uptime, totals, time of writing): what others must see soon. */
    MemberState essentials() {
        return new MemberState(member, revision, rejectedRevision, rejectedProblems, source, mode, startedAt, 0, null,
                health, null);
    }

    /** The record as members publish it under their lease. */
    public String json() throws IOException {
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
