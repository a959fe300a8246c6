package io.convey.console.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The admin API's documents (docs/api.md) as the console reads them; unknown keys are ignored. */
public final class Api {
    private Api() {
    }

    /** One config problem: file and line when it came from a file, the key path and the message. */
    public record Problem(String file, Integer line, String path, String message) {
        /** The problem in the project's one error format, with the line when known. */
        public String describe() {
            String where = line == null || line <= 0 ? "" : "line " + line + ": ";
            String key = path == null || path.isEmpty() ? "" : path + ": ";
            return where + key + message;
        }
    }

    /** Connection and byte counters of the appliance, a frontend or a pool. */
    public record Counters(long totalConnections, long currentConnections, long bytesTx, long bytesRx) {
    }

    /** The outcome of the last reload attempt. */
    public record Reload(Instant at, String source, boolean ok, long version, List<Problem> problems) {
    }

    /** {@code GET /api/v1/status}. */
    public record Status(String version, String mode, Instant startedAt, long uptimeS, String configFile,
            long configVersion, Reload lastReload, Counters totals, DataPlane dataPlane, Announce announce) {
    }

    /**
     * The status's {@code announce} section: maintenance, and with {@code [bgp]} or {@code [vrrp]} the method, each
     * VIP's announcement, the BGP sessions as BIRD reports them and the VRRP state keepalived notified.
     */
    public record Announce(boolean maintenance, String method, List<Vip> vips, Bgp bgp, Vrrp vrrp) {
    }

    /** One VIP: {@code announced}, {@code draining} or {@code withdrawn}, and why. */
    public record Vip(String vip, List<String> frontends, String state, String reason, String reasonText) {
    }

    /** The BGP speaker's state and its sessions. */
    public record Bgp(String state, List<BgpSession> sessions) {
    }

    /** One BGP session in the words of {@code birdc show protocols}. */
    public record BgpSession(String name, String protocol, String state, String since, String info) {
    }

    /** The VRRP state (MASTER, BACKUP, FAULT, or unknown before keepalived's first notification) per instance. */
    public record Vrrp(String fifo, String state, List<VrrpInstance> instances) {
    }

    /** One VRRP instance as keepalived last notified it. */
    public record VrrpInstance(String instance, String state, int priority, Instant since) {
    }

    /** {@code POST /api/v1/maintenance}'s answer. */
    public record Maintenance(boolean maintenance) {
    }

    /** The data plane's state: the proxy's transport, or the packet data plane's counters ({@code packet}). */
    public record DataPlane(String transport, Long activeConnections, Packet packet) {
    }

    /** The packet data plane (passthrough and DSR): capture, flows, how packets left, drops, each worker's share. */
    public record Packet(String capture, @JsonProperty("interface") String interfaceName, long activeFlows,
            long sentAsFrames, long sentRouted, long resetsSent, Map<String, Long> dropped, List<Worker> workers) {
    }

    /** One packet worker's share. */
    public record Worker(long activeFlows, long connectionsOpened, long packetsToServers, long packetsToClients) {
    }

    /**
     * One frontend (listener); {@code udp} is present on UDP frontends only; {@code sni} maps server names to pools,
     * {@code refused} counts connections closed before a server was chosen (PROXY header, SNI, pool admission), by
     * reason; {@code admission} counts what its allow/deny lists and rate limit refused; {@code refusedFull} those
     * closed at accept while the frontend was at its {@code maxConnections}.
     */
    public record Frontend(String name, String listenAddr, String boundAddr, String backend, Counters counters,
            String protocol, UdpCounters udp, boolean acceptProxy, long acceptProxyTimeoutMs, Map<String, String> sni,
            String sniMismatch, long sniTimeoutMs, Map<String, Long> refused, Admission admission,
            TrafficSettings traffic, int maxConnections, long refusedFull) {
        /** What the frontend's lists and rate limit refused; zeros from an appliance that does not report it. */
        public Admission refusals() {
            return admission == null ? new Admission(0, 0) : admission;
        }
    }

    /** A frontend's traffic control as the appliance runs it (0 and "off" where not set). */
    public record TrafficSettings(List<String> allow, List<String> deny, int rateLimit, int rateLimitBurst,
            String accessLog, String accessLogFormat) {
    }

    /** New connections a frontend refused: by its allow/deny lists, and by its per-source rate limit. */
    public record Admission(long refusedByAcl, long rateLimited) {
    }

    /** UDP counters of a frontend, a pool or a server: datagrams and bytes both ways, sessions. */
    public record UdpCounters(long datagramsTx, long datagramsRx, long bytesTx, long bytesRx, long sessionsCurrent,
            long sessionsTotal, long sessionsDropped, long unreachable, long unanswered) {
    }

    /** One health transition of a server. */
    public record HealthChange(Instant at, boolean up, String reason) {
    }

    /** A server's health as the appliance's checks see it. */
    public record Health(boolean up, boolean checked, Instant lastCheck, Double latencyMs, int consecutiveSuccesses,
            int consecutiveFailures, String lastError, int flapsLastHour, List<HealthChange> history) {
    }

    /** One server of a backend pool with its live counters and health. */
    public record Server(String name, String addr, int weight, String state, boolean eligible, double expectedShare,
            long activeConnections, long totalConnections, long bytesTx, long bytesRx, Health health, UdpCounters udp,
            ServerStats stats, int maxConnections, int slotsInUse, double effectiveWeight, int rampPercent) {
    }

    /**
     * What HAProxy's stats page shows of a busy server: peak connections, connect errors, timeouts and retries, since
     * when it is in its health state (null before its first check) and its total downtime.
     */
    public record ServerStats(long peakConnections, long connectErrors, long connectTimeouts, long retries,
            Instant stateSince, Long inStateS, long downtimeS) {
    }

    /** One backend pool; {@code halfClose} is absent from an appliance that does not report it. */
    public record Pool(String name, String algorithm, long healthCheckIntervalMs, long healthCheckTimeoutMs, int rise,
            int fall, long connectTimeoutMs, long idleTimeoutS, Counters counters, List<Server> servers,
            String healthCheck, Integer healthCheckPort, String sendProxy, UdpCounters udp, int queueSize,
            long queueTimeoutMs, long slowStartS, boolean observe, Boolean halfClose, long persistenceTimeoutS,
            Queue queue, boolean persistentByConstruction) {
        /** True when a FIN is passed on and the other direction stays open: the default, and older appliances'. */
        public boolean halfCloses() {
            return halfClose == null || halfClose;
        }
    }

    /** A pool's connection queue now: waiting, the peak, and how waits ended. */
    public record Queue(int current, int peak, long queued, long served, long timedOut, long full, long abandoned) {
    }

    /** The answer to every successful write. */
    public record WriteResult(long configVersion, String summary) {
    }

    /** What-if shares: nothing applied. */
    public record Preview(Map<String, Double> shares, Double movedFraction) {
    }

    /** {@code POST /api/v1/config/validate}. */
    public record Validation(boolean valid, List<Problem> problems) {
    }

    /** One entry of the config history, newest first; {@code by} says who made the change (may be absent). */
    public record HistoryEntry(long id, long configVersion, Instant at, String source, String summary, String by) {
    }

    /** A one-off TCP connect from the appliance. */
    public record Probe(String addr, boolean reachable, Double latencyMs, String error) {
    }

    /** One second of traffic in one scope: bytes per second each way, active and new connections. */
    public record Sample(Instant t, double bytesIn, double bytesOut, double active,
            @JsonProperty("new") double newConnections) {
    }

    /** {@code GET /api/v1/stats/series}: samples per scope ("appliance", "pool/web", ...). */
    public record Series(int intervalS, Map<String, List<Sample>> scopes) {
    }

    /** {@code POST /api/v1/login} with a token name: a new API token of the user, shown this once. */
    public record Login(String user, String role, String token, String id, String name, Instant createdAt) {
    }

    /** {@code GET /api/v1/session}: who the credential is and the role it acts with. */
    public record Session(String user, String role, String auth, String tokenName) {
    }

    /** One user of the appliance (never a password hash). */
    public record User(String name, String role, Instant createdAt) {
    }

    /** One API token, without its secret. */
    public record Token(String id, String name, String user, Instant createdAt, Instant lastUsedAt) {
    }

    /** A token just created: its secret is in this answer only. */
    public record NewToken(String id, String name, String user, String token, Instant createdAt) {
    }

    /** {@code GET /api/v1/fleet}: the fleet's revision in etcd, its members, and the servers they disagree about. */
    public record Fleet(String name, String member, List<String> etcdEndpoints, boolean reachable, String problem,
            long revision, List<FleetMember> members, List<Disagreement> disagreements) {
    }

    /** One member of a fleet: the revision it runs ({@code drift} when not the fleet's), one it refused and why. */
    public record FleetMember(String member, long revision, boolean drift, long rejectedRevision,
            List<String> rejectedProblems, String source, String mode, Instant startedAt, long uptimeS,
            FleetTotals totals, Map<String, String> health, Instant updatedAt) {
    }

    /** A member's traffic totals. */
    public record FleetTotals(long connections, long active, long bytesTx, long bytesRx) {
    }

    /** A server ({@code pool/server}) some members see up and others down: each member's view. */
    public record Disagreement(String server, Map<String, String> health) {
    }
}
