package io.convey.engine;

import io.convey.cluster.ConfigFollower;
import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.EtcdUnavailableException;
import io.convey.cluster.Fleet;
import io.convey.cluster.MemberLease;
import io.convey.cluster.MemberState;
import io.convey.config.AdminConfig;
import io.convey.config.ClusterConfig;
import io.convey.config.ConfigEditException;
import io.convey.config.ConfigEditException.Kind;
import io.convey.config.ConfigFile;
import io.convey.config.ConfigLoader;
import io.convey.config.LoadResult;
import io.convey.config.Problem;
import io.convey.config.VersionHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the engine follow a fleet's configuration in etcd: each revision is validated and applied like a file
 * reload (a revision this member cannot apply keeps it on the previous one, and it says why in its member record
 * and status), the mirror file next to the member's own file is rewritten after each apply, writes go to etcd as a
 * compare-and-swap on the revision, and the member's state is published under a lease. One lock orders applies
 * from the watch and from this member's own writes; a revision older than the last one seen is skipped.
 */
public final class FleetSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FleetSync.class);
    static final Duration WATCH_RETRY = Duration.ofMillis(500);

    /** The configuration a member starts with, and where it came from ({@code etcd} or {@code mirror}). */
    public record Initial(Fleet.Revision revision, String source, String fileLabel) {}

    /** A revision this member could not apply, and why. */
    public record Rejected(long revision, List<Problem> problems) {}

    private final Engine engine;
    private final Fleet fleet;
    private final ClusterConfig cluster;
    private final AdminConfig memberAdmin;
    private final Path baseDir;
    private final ConfigFile mirror;
    private final Path mirrorRevision;
    private final Object lock = new Object();
    private volatile long lastSeen;
    private volatile long applied;
    private volatile Rejected rejected;
    private volatile String source = "etcd";
    private volatile boolean connected;
    private volatile String connectionProblem;
    private ConfigFollower follower;
    private MemberLease lease;

    private FleetSync(Engine engine, Fleet fleet, ClusterConfig cluster, AdminConfig memberAdmin, Path configFile) {
        this.engine = engine;
        this.fleet = fleet;
        this.cluster = cluster;
        this.memberAdmin = memberAdmin;
        Path file = configFile.toAbsolutePath().normalize();
        this.baseDir = file.getParent();
        String stem = file.getFileName().toString().replaceFirst("\\.toml$", "");
        this.mirror = new ConfigFile(file.resolveSibling(stem + ".fleet.toml"));
        this.mirrorRevision = file.resolveSibling("." + stem + ".fleet-revision");
    }

    /** Connects nothing yet: the client is built, the follower and lease start with {@link #follow()}. */
    public static FleetSync open(Engine engine, ClusterConfig cluster, AdminConfig memberAdmin, Path configFile)
            throws IOException {
        return new FleetSync(engine, new Fleet(new EtcdClient(settings(cluster)), cluster.name()), cluster, memberAdmin,
                configFile);
    }

    /** The etcd client settings of a {@code [cluster]} section. */
    public static EtcdSettings settings(ClusterConfig cluster) {
        return new EtcdSettings(cluster.etcdEndpoints(), cluster.tlsCert(), cluster.tlsKey(), cluster.tlsCa(),
                cluster.user(), cluster.passwordFile(), EtcdSettings.DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * The fleet's configuration now; when etcd is unreachable, the mirror file this member wrote after its last
     * apply (logged, and shown in status as {@code source = "mirror"}). Fails when neither is there.
     */
    public Initial initial() throws ConfigEditException {
        try {
            Fleet.Revision current = fleet.current().orElseThrow(() -> ConfigEditException.of(Kind.NOT_FOUND,
                    "the fleet has no configuration yet", "cluster.name", "\"" + fleet.name() + "\": " + fleet.configKey()
                            + " is empty (expected: a configuration, put there with convey cluster init --config=FILE)"));
            return new Initial(current, "etcd", label(current.revision()));
        } catch (EtcdUnavailableException e) {
            try {
                String text = mirror.read();
                long revision = Long.parseLong(Files.readString(mirrorRevision, StandardCharsets.UTF_8).strip());
                source = "mirror";
                connectionProblem = e.getMessage();
                log.warn("etcd unreachable at start, running the mirror file fleet={} file={} revision={}: {}", fleet.name(),
                        mirror.path(), revision, e.getMessage());
                return new Initial(new Fleet.Revision(revision, text), "mirror", mirror.path().toString());
            } catch (IOException | NumberFormatException m) {
                throw ConfigEditException.of(Kind.UNAVAILABLE, "etcd is unreachable and there is no mirror file",
                        "cluster.etcd_endpoints", e.getMessage() + " (expected: a reachable etcd, or the mirror file "
                                + mirror.path() + " from an earlier start)");
            }
        } catch (IOException e) {
            throw ConfigEditException.of(Kind.FAILED, "etcd refused to read the fleet's configuration",
                    "cluster.etcd_endpoints", e.getMessage());
        }
    }

    /** Parses a fleet text as a config file is parsed, with this member's own [admin] and [cluster]. */
    public LoadResult parse(String text, String fileLabel) {
        LoadResult loaded = ConfigLoader.parse(text, fileLabel, baseDir);
        return loaded.config().map(c -> new LoadResult(Optional.of(c.withMemberSections(memberAdmin,
                Optional.of(cluster))), loaded.problems())).orElse(loaded);
    }

    /** Records that the engine started on {@code initial}, and writes the mirror. */
    public void started(Initial initial) {
        synchronized (lock) {
            lastSeen = initial.revision().revision();
            applied = lastSeen;
            if (initial.source().equals("etcd")) {
                writeMirror(initial.revision());
            }
        }
    }

    /** Starts following the key (from the revision after the running one) and publishing the member record. */
    public void follow() {
        lease = new MemberLease(fleet, cluster.member(), cluster.memberTtl(), this::memberState);
        follower = new ConfigFollower(fleet, () -> lastSeen, new ConfigFollower.Listener() {
            @Override
            public void revision(Fleet.Revision revision) {
                apply(revision, null);
            }

            @Override
            public void connection(boolean up, String why) {
                connectionChanged(up, why);
            }
        }, WATCH_RETRY);
    }

    private void connectionChanged(boolean up, String why) {
        if (up != connected) {
            if (up) {
                log.info("etcd reachable, following fleet={} from revision={}", fleet.name(), lastSeen + 1);
            } else {
                log.warn("etcd unreachable, serving revision={} fleet={}: {}", applied, fleet.name(), why);
            }
        }
        connected = up;
        connectionProblem = up ? null : why;
        if (up && source.equals("mirror")) {
            source = "etcd";
        }
        if (lease != null) {
            lease.publishNow();
        }
    }

    /**
     * Applies one revision unless a newer one was seen already; {@code change} says who made it (null: look it up in
     * the fleet's history). Returns the engine's answer.
     */
    ReloadStatus apply(Fleet.Revision revision, Fleet.Change change) {
        synchronized (lock) {
            if (revision.revision() <= lastSeen) {
                return engine.lastReload();
            }
            lastSeen = revision.revision();
            Fleet.Change by = change != null ? change : lookUp(revision.revision());
            String label = label(revision.revision());
            LoadResult loaded = parse(revision.text(), label);
            ReloadStatus status;
            if (!loaded.ok()) {
                status = engine.reject("fleet", loaded.errors());
            } else {
                engine.configFile(label); // the data plane's problems (a listener it cannot bind) name this revision
                status = engine.apply(loaded.config().orElseThrow(), "fleet", by.by(),
                        by.summary() + " (fleet revision " + revision.revision() + ")", revision.text(), revision.revision());
            }
            if (status.ok()) {
                applied = revision.revision();
                writeMirror(revision);
            } else {
                rejected = new Rejected(revision.revision(), status.problems());
                log.warn("fleet revision not applied, staying on revision={} fleet={} refused={} problems={}", applied,
                        fleet.name(), revision.revision(), status.problems().size());
            }
            if (lease != null) {
                lease.publishNow();
            }
            return status;
        }
    }

    private Fleet.Change lookUp(long revision) {
        try {
            return fleet.history().stream().filter(e -> e.revision() == revision).findFirst()
                    .map(Fleet.HistoryEntry::change).orElseGet(() -> unknownChange());
        } catch (IOException e) {
            return unknownChange();
        }
    }

    private static Fleet.Change unknownChange() {
        return new Fleet.Change("fleet", "fleet", "written to etcd directly", Instant.now());
    }

    private void writeMirror(Fleet.Revision revision) {
        try {
            mirror.writeAtomically(revision.text());
            Files.writeString(mirrorRevision, revision.revision() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("fleet mirror file not written file={}", mirror.path(), e);
        }
    }

    /** {@code etcd:/convey/<name>/config@<revision>}: where a fleet text's problems are placed. */
    String label(long revision) {
        return "etcd:" + fleet.configKey() + "@" + revision;
    }

    // ---- writes (ConfigEditor calls these under its own lock) ----

    /** The fleet's configuration now, read from etcd. */
    Fleet.Revision base() throws ConfigEditException {
        try {
            return fleet.current().orElseThrow(() -> ConfigEditException.of(Kind.NOT_FOUND, "the fleet has no configuration",
                    "cluster.name", fleet.configKey() + " is empty (expected: convey cluster init --config=FILE)"));
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** Writes {@code text} on top of {@code expected}, then applies it here; the revision it got. */
    long write(String text, long expected, String source, String by, String summary) throws ConfigEditException {
        Fleet.Change change = new Fleet.Change(by, source, summary, Instant.now());
        OptionalLong written;
        try {
            written = fleet.write(text, expected, change);
        } catch (IOException e) {
            throw unavailable(e);
        }
        if (written.isEmpty()) {
            throw ConfigEditException.of(Kind.STALE, "the fleet's configuration changed meanwhile", "",
                    "revision " + expected + " (expected: the fleet's current revision; read it again)");
        }
        long revision = written.getAsLong();
        ReloadStatus status = apply(new Fleet.Revision(revision, text), change);
        if (!status.ok() && applied < revision) {
            throw new ConfigEditException(Kind.CONFLICT, "revision " + revision + " was written to the fleet, but this"
                    + " member cannot apply it and stays on revision " + applied, status.problems());
        }
        return revision;
    }

    ConfigEditException unavailable(IOException e) {
        return ConfigEditException.of(Kind.UNAVAILABLE, "etcd is unreachable: the fleet's configuration cannot be read or"
                + " changed now", "cluster.etcd_endpoints", e.getMessage());
    }

    /** The fleet's revisions as the API's history: id and config_version are the revision. */
    public VersionHistory history() {
        return new FleetHistory(fleet, this::unavailable);
    }

    // ---- reads ----

    /** Every member's published record now (read from etcd). */
    public List<MemberState> members() throws ConfigEditException {
        try {
            return fleet.members();
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** The fleet's revision now in etcd (what members should run). */
    public long latestRevision() throws ConfigEditException {
        return base().revision();
    }

    /** This member's side, for status: fleet, member, revisions, source, connection, the refused revision. */
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", fleet.name());
        d.put("member", cluster.member());
        d.put("etcd_endpoints", cluster.etcdEndpoints().stream().map(Object::toString).toList());
        d.put("connected", connected);
        d.put("source", source);
        d.put("revision", applied);
        d.put("latest_seen_revision", lastSeen);
        d.put("mirror_file", mirror.path().toString());
        d.put("problem", connectionProblem);
        Rejected r = rejected;
        d.put("rejected", r == null || r.revision() <= applied ? null
                : Map.of("revision", r.revision(), "problems", r.problems().stream().map(Problem::toString).toList()));
        return d;
    }

    public String name() {
        return fleet.name();
    }

    public String member() {
        return cluster.member();
    }

    public List<String> endpoints() {
        return cluster.etcdEndpoints().stream().map(Object::toString).toList();
    }

    public boolean connected() {
        return connected;
    }

    public long appliedRevision() {
        return applied;
    }

    public Path mirrorFile() {
        return mirror.path();
    }

    MemberState memberState() {
        Rejected r = rejected;
        boolean current = r == null || r.revision() <= applied;
        return MemberRecord.of(engine, cluster.member(), applied, current ? 0 : r.revision(),
                current ? List.of() : r.problems(), source);
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        if (lease != null) {
            lease.close();
        }
        fleet.etcd().close();
    }
}
