package io.convey.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fleet's keys in etcd: {@code /convey/<name>/config} holds the configuration's TOML text (its mod revision is
 * the configuration's version), {@code /convey/<name>/history/<previous revision>} records each change (who, how,
 * the text) in the same transaction as the change, so the record's mod revision is the revision it made, and
 * {@code /convey/<name>/members/<member>} holds each member's state under its lease.
 */
public final class Fleet {
    private static final Logger log = LoggerFactory.getLogger(Fleet.class);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The configuration at one revision. */
    public record Revision(long revision, String text) {}

    /** Who made a change, through what ({@code api}, {@code rollback}, {@code init}) and the one-line summary. */
    public record Change(String by, String source, String summary, Instant at) {}

    /** A recorded change: the revision it made, and the text it wrote. */
    public record HistoryEntry(long revision, Change change, String text) {}

    /** How a history key's value is stored. */
    record StoredChange(String by, String source, String summary, Instant at, String text) {}

    /** As many versions as a file's history keeps. */
    public static final int HISTORY_CAPACITY = 100;

    private final EtcdClient etcd;
    private final String name;

    public Fleet(EtcdClient etcd, String name) {
        this.etcd = etcd;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public EtcdClient etcd() {
        return etcd;
    }

    public String configKey() {
        return "/convey/" + name + "/config";
    }

    public String membersPrefix() {
        return "/convey/" + name + "/members/";
    }

    String historyPrefix() {
        return "/convey/" + name + "/history/";
    }

    /** The fleet's configuration now, or empty when the key has not been initialised. */
    public Optional<Revision> current() throws IOException {
        return etcd.get(configKey()).map(kv -> new Revision(kv.modRevision(), kv.value()));
    }

    /**
     * Writes a new configuration if the running one is still {@code expectedRevision} (0: none yet), with its
     * history record in the same revision. Returns the new revision, or empty when another write came first.
     */
    public OptionalLong write(String text, long expectedRevision, Change change) throws IOException {
        String record = JSON.writeValueAsString(new StoredChange(change.by(), change.source(), change.summary(),
                change.at(), text));
        // Only one write can succeed on top of a given revision, so the previous revision names the record uniquely.
        String historyKey = historyPrefix() + String.format("%020d", expectedRevision);
        OptionalLong revision = etcd.putIfRevision(configKey(), text, expectedRevision, Map.of(historyKey, record));
        revision.ifPresent(r -> log.info("fleet config written fleet={} revision={} by={} source={} change=\"{}\"", name, r,
                change.by(), change.source(), change.summary()));
        if (revision.isPresent()) {
            prune();
        }
        return revision;
    }

    /** Keeps the newest {@link #HISTORY_CAPACITY} history records (each holds a whole text); best effort. */
    private void prune() {
        try {
            List<KeyValue> records = etcd.prefix(historyPrefix()); // key order: oldest previous revision first
            for (int i = 0; i < records.size() - HISTORY_CAPACITY; i++) {
                etcd.delete(records.get(i).key());
            }
        } catch (IOException e) {
            log.debug("fleet history not pruned fleet={}: {}", name, e.getMessage());
        }
    }

    /** Every recorded change, newest first. */
    public List<HistoryEntry> history() throws IOException {
        return etcd.prefix(historyPrefix()).stream().map(Fleet::entry).flatMap(Optional::stream)
                .sorted(Comparator.comparingLong(HistoryEntry::revision).reversed()).toList();
    }

    /** The text a recorded change wrote. */
    public Optional<String> textAt(long revision) throws IOException {
        return history().stream().filter(e -> e.revision() == revision).findFirst().map(HistoryEntry::text);
    }

    private static Optional<HistoryEntry> entry(KeyValue kv) {
        try {
            StoredChange c = JSON.readValue(kv.value(), StoredChange.class);
            return Optional.of(new HistoryEntry(kv.modRevision(), new Change(c.by(), c.source(), c.summary(), c.at()),
                    c.text()));
        } catch (IOException e) {
            log.warn("fleet history: skipping a damaged record key={}", kv.key());
            return Optional.empty();
        }
    }

    /** The members' records now (a member whose lease expired is gone), by member name. */
    public List<MemberState> members() throws IOException {
        return etcd.prefix(membersPrefix()).stream().map(kv -> MemberState.parse(kv.value()))
                .flatMap(Optional::stream).sorted(Comparator.comparing(MemberState::member)).toList();
    }
}
