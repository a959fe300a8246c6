package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convey.accesslog.AccessLogs;
import io.convey.config.ConfigChange;
import io.convey.config.FrontendTraffic;
import io.convey.config.TrafficFields;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.net.Cidr;
import io.convey.stats.AdmissionCounters;
import io.convey.traffic.AccessEntry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** A frontend's traffic control through the API: its settings' edits, and the latest access-log entries. */
final class TrafficRoutes {
    static final Set<String> FIELDS = Set.of("allow", "deny", "rate_limit", "rate_limit_burst", "rate_limit_prefix_v4",
            "rate_limit_prefix_v6", "rate_limit_sources", "access_log", "access_log_format", "access_log_max_size",
            "access_log_max_files");
    static final int MAX_LIMIT = AccessLogs.LATEST_CAPACITY;

    private final Engine engine;
    private final ConfigEditor editor;
    private final ObjectMapper mapper;

    TrafficRoutes(Engine engine, ConfigEditor editor, ObjectMapper mapper) {
        this.engine = engine;
        this.editor = editor;
        this.mapper = mapper;
    }

    /** A frontend's refusals: by its allow/deny lists, and by its rate limit. */
    record Admission(@JsonProperty("refused_by_acl") long refusedByAcl, @JsonProperty("rate_limited") long rateLimited) {
        static Admission of(AdmissionCounters c) {
            AdmissionCounters.Snapshot s = c == null ? AdmissionCounters.Snapshot.ZERO : c.snapshot();
            return new Admission(s.refusedByAcl(), s.rateLimited());
        }
    }

    /** A frontend's traffic-control settings, as in the file (0 / "off" where not set). */
    record Settings(List<String> allow, List<String> deny, @JsonProperty("rate_limit") int rateLimit,
            @JsonProperty("rate_limit_burst") int rateLimitBurst,
            @JsonProperty("rate_limit_prefix_v4") int rateLimitPrefixV4,
            @JsonProperty("rate_limit_prefix_v6") int rateLimitPrefixV6,
            @JsonProperty("rate_limit_sources") int rateLimitSources, @JsonProperty("access_log") String accessLog,
            @JsonProperty("access_log_format") String accessLogFormat,
            @JsonProperty("access_log_max_size") long accessLogMaxSize,
            @JsonProperty("access_log_max_files") int accessLogMaxFiles) {
        static Settings of(FrontendTraffic t) {
            var limit = t.rateLimit();
            var log = t.accessLog();
            return new Settings(t.allow().stream().map(Cidr::toString).toList(),
                    t.deny().stream().map(Cidr::toString).toList(),
                    limit.map(FrontendTraffic.RateLimit::perSecond).orElse(0),
                    limit.map(FrontendTraffic.RateLimit::burst).orElse(0),
                    limit.map(FrontendTraffic.RateLimit::prefixV4).orElse(FrontendTraffic.RateLimit.DEFAULT_PREFIX_V4),
                    limit.map(FrontendTraffic.RateLimit::prefixV6).orElse(FrontendTraffic.RateLimit.DEFAULT_PREFIX_V6),
                    limit.map(FrontendTraffic.RateLimit::sources).orElse(FrontendTraffic.RateLimit.DEFAULT_SOURCES),
                    log.map(FrontendTraffic.AccessLog::destination).orElse("off"),
                    log.map(l -> l.format().id()).orElse("json"),
                    log.map(FrontendTraffic.AccessLog::maxSizeBytes).orElse(FrontendTraffic.AccessLog.DEFAULT_MAX_SIZE),
                    log.map(FrontendTraffic.AccessLog::maxFiles).orElse(FrontendTraffic.AccessLog.DEFAULT_MAX_FILES));
        }
    }

    /** One access-log entry, as the JSON log line writes it. */
    record Entry(Instant time, String client, String frontend, String pool, String server,
            @JsonProperty("server_addr") String serverAddr, @JsonProperty("bytes_from_client") long bytesFromClient,
            @JsonProperty("bytes_from_server") long bytesFromServer, @JsonProperty("duration_ms") double durationMs,
            @JsonProperty("connect_ms") double connectMs, @JsonProperty("queue_ms") double queueMs, String ending) {
        static Entry of(AccessEntry e) {
            return new Entry(Instant.ofEpochMilli(e.startMillis()), address(e.client()), e.frontend(), e.pool(),
                    e.server(), address(e.serverAddress()), e.bytesFromClient(), e.bytesFromServer(),
                    e.durationNanos() / 1e6, e.connectNanos() / 1e6, e.queueNanos() / 1e6, e.ending().id());
        }
    }

    /** {@code GET /api/v1/access-log}: the latest entries, newest first, and the writer's counts. */
    record Page(List<Entry> entries, long written, long dropped) {}

    void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/access-log", this::latest, Access.VIEWER);
        cfg.routes.patch("/api/v1/frontends/{name}/traffic", ctx -> {
            String name = ctx.pathParam("name");
            ObjectNode body = Requests.object(ctx, mapper, FIELDS);
            String path = "frontends." + name + ".";
            TrafficFields fields = new TrafficFields(strings(body, "allow", path + "allow"),
                    strings(body, "deny", path + "deny"),
                    Requests.integer(body, "rate_limit", path + "rate_limit"),
                    Requests.integer(body, "rate_limit_burst", path + "rate_limit_burst"),
                    Requests.integer(body, "rate_limit_prefix_v4", path + "rate_limit_prefix_v4"),
                    Requests.integer(body, "rate_limit_prefix_v6", path + "rate_limit_prefix_v6"),
                    Requests.integer(body, "rate_limit_sources", path + "rate_limit_sources"),
                    Requests.string(body, "access_log", path + "access_log"),
                    Requests.string(body, "access_log_format", path + "access_log_format"),
                    sizeText(body, path + "access_log_max_size"),
                    Requests.integer(body, "access_log_max_files", path + "access_log_max_files"));
            ConfigEditor.Result result = editor.edit(new ConfigChange.UpdateFrontendTraffic(name, fields),
                    Requests.ifMatch(ctx), AccessGuard.caller(ctx).by());
            EditRoutes.written(ctx, 200, result);
        }, Access.ADMIN);
    }

    private void latest(Context ctx) {
        String client = ctx.queryParam("client");
        String server = ctx.queryParam("server");
        String frontend = ctx.queryParam("frontend");
        String limitText = ctx.queryParam("limit");
        int limit = 100;
        if (limitText != null) {
            long n = Requests.number(limitText, "limit");
            if (n < 1 || n > MAX_LIMIT) {
                throw ApiErrors.badRequest("limit", n + " (expected: 1-" + MAX_LIMIT + ")");
            }
            limit = (int) n;
        }
        Predicate<AccessEntry> filter = e -> (client == null || client.isBlank() || contains(address(e.client()), client))
                && (server == null || server.isBlank() || contains(e.server(), server)
                        || contains(address(e.serverAddress()), server))
                && (frontend == null || frontend.isBlank() || frontend.equals(e.frontend()));
        AccessLogs logs = engine.accessLogs();
        ctx.json(new Page(logs.latest(filter, limit).stream().map(Entry::of).toList(), logs.written(), logs.dropped()));
    }

    private static boolean contains(String text, String part) {
        return text != null && text.contains(part.strip());
    }

    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress() instanceof Inet6Address v6
                ? "[" + io.convey.net.AddressText.ipv6(v6.getAddress()) + "]" : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }

    private static List<String> strings(JsonNode body, String field, String path) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiErrors.badRequest(path, node + " (expected: an array of address prefixes)");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw ApiErrors.badRequest(path, item + " (expected: an address prefix as a string)");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A size as a string ("100MB") or a number of bytes. */
    private static String sizeText(JsonNode body, String path) {
        JsonNode node = body.get("access_log_max_size");
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Long.toString(node.asLong());
        }
        return Requests.string(body, "access_log_max_size", path);
    }
}
