package io.convey.config;

import io.convey.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A frontend's traffic-control settings as the API edits them; null fields are not given. When any rate-limit
 * field is given, every rate-limit key is written (given values, else the running ones, else the defaults), and
 * likewise for the access log, so that the edited file means exactly the model {@link #applyTo} builds, whatever
 * defaults the file relied on. Values are checked by the file validator after the edit, like any value in the file.
 */
public record TrafficFields(List<String> allow, List<String> deny, Long rateLimit, Long rateLimitBurst,
                            Long rateLimitPrefixV4, Long rateLimitPrefixV6, Long rateLimitSources, String accessLog,
                            String accessLogFormat, String accessLogMaxSize, Long accessLogMaxFiles) {

    public TrafficFields {
        allow = allow == null ? null : List.copyOf(allow);
        deny = deny == null ? null : List.copyOf(deny);
    }

    boolean limitGiven() {
        return rateLimit != null || rateLimitBurst != null || rateLimitPrefixV4 != null || rateLimitPrefixV6 != null
                || rateLimitSources != null;
    }

    boolean logGiven() {
        return accessLog != null || accessLogFormat != null || accessLogMaxSize != null || accessLogMaxFiles != null;
    }

    void check(String frontend) throws ConfigEditException {
        if (allow == null && deny == null && !limitGiven() && !logGiven()) {
            throw ConfigEditException.of(ConfigEditException.Kind.INVALID, "nothing to change", "frontends." + frontend,
                    "no field given (expected: allow, deny, rate_limit*, access_log*)");
        }
    }

    void edit(TomlEditor editor, List<String> table) {
        // The running values decide what is written for fields not given: read them from the text's own parse.
        FrontendTraffic old = current(editor, table);
        if (allow != null) {
            editor.setStrings(append(table, "allow"), allow);
        }
        if (deny != null) {
            editor.setStrings(append(table, "deny"), deny);
        }
        if (limitGiven()) {
            FrontendTraffic.RateLimit l = limit(old);
            editor.set(append(table, "rate_limit"), (long) l.perSecond());
            editor.set(append(table, "rate_limit_burst"), (long) l.burst());
            editor.set(append(table, "rate_limit_prefix_v4"), (long) l.prefixV4());
            editor.set(append(table, "rate_limit_prefix_v6"), (long) l.prefixV6());
            editor.set(append(table, "rate_limit_sources"), (long) l.sources());
        }
        if (logGiven()) {
            Optional<FrontendTraffic.AccessLog> running = old.accessLog();
            editor.set(append(table, "access_log"), accessLog != null ? accessLog
                    : running.map(FrontendTraffic.AccessLog::destination).orElse("off"));
            editor.set(append(table, "access_log_format"), accessLogFormat != null ? accessLogFormat
                    : running.map(a -> a.format().id()).orElse(AccessLogFormat.JSON.id()));
            editor.set(append(table, "access_log_max_size"), accessLogMaxSize != null ? accessLogMaxSize
                    : sizeText(running.map(FrontendTraffic.AccessLog::maxSizeBytes)
                            .orElse(FrontendTraffic.AccessLog.DEFAULT_MAX_SIZE)));
            editor.set(append(table, "access_log_max_files"), accessLogMaxFiles != null ? accessLogMaxFiles
                    : (long) running.map(FrontendTraffic.AccessLog::maxFiles)
                            .orElse(FrontendTraffic.AccessLog.DEFAULT_MAX_FILES));
        }
    }

    /** The settings after the edit; called once the edited text has validated, so every value parses. */
    FrontendTraffic applyTo(FrontendTraffic old) {
        List<Cidr> allowed = allow == null ? old.allow() : allow.stream().map(t -> Cidr.parse(t.strip())).toList();
        List<Cidr> denied = deny == null ? old.deny() : deny.stream().map(t -> Cidr.parse(t.strip())).toList();
        Optional<FrontendTraffic.RateLimit> limit = old.rateLimit();
        if (limitGiven()) {
            FrontendTraffic.RateLimit l = limit(old);
            limit = l.perSecond() == 0 ? Optional.empty() : Optional.of(l);
        }
        Optional<FrontendTraffic.AccessLog> log = old.accessLog();
        if (logGiven()) {
            String destination = accessLog != null ? accessLog
                    : log.map(FrontendTraffic.AccessLog::destination).orElse("off");
            AccessLogFormat format = accessLogFormat != null
                    ? ConfigWord.fromId(AccessLogFormat.class, accessLogFormat).orElseThrow()
                    : log.map(FrontendTraffic.AccessLog::format).orElse(AccessLogFormat.JSON);
            long size = accessLogMaxSize != null ? parseSize(accessLogMaxSize)
                    : log.map(FrontendTraffic.AccessLog::maxSizeBytes).orElse(FrontendTraffic.AccessLog.DEFAULT_MAX_SIZE);
            int files = accessLogMaxFiles != null ? Math.toIntExact(accessLogMaxFiles)
                    : log.map(FrontendTraffic.AccessLog::maxFiles).orElse(FrontendTraffic.AccessLog.DEFAULT_MAX_FILES);
            log = destination.equals("off") ? Optional.empty()
                    : Optional.of(new FrontendTraffic.AccessLog(destination, format, size, files));
        }
        return new FrontendTraffic(allowed, denied, limit, log);
    }

    private FrontendTraffic.RateLimit limit(FrontendTraffic old) {
        Optional<FrontendTraffic.RateLimit> running = old.rateLimit();
        long rate = rateLimit != null ? rateLimit : running.map(FrontendTraffic.RateLimit::perSecond).orElse(0);
        long burst = rateLimitBurst != null ? rateLimitBurst
                : running.map(FrontendTraffic.RateLimit::burst).orElse((int) Math.max(1, Math.min(rate, Integer.MAX_VALUE)));
        long v4 = rateLimitPrefixV4 != null ? rateLimitPrefixV4
                : running.map(FrontendTraffic.RateLimit::prefixV4).orElse(FrontendTraffic.RateLimit.DEFAULT_PREFIX_V4);
        long v6 = rateLimitPrefixV6 != null ? rateLimitPrefixV6
                : running.map(FrontendTraffic.RateLimit::prefixV6).orElse(FrontendTraffic.RateLimit.DEFAULT_PREFIX_V6);
        long sources = rateLimitSources != null ? rateLimitSources
                : running.map(FrontendTraffic.RateLimit::sources).orElse(FrontendTraffic.RateLimit.DEFAULT_SOURCES);
        // Out-of-range values are written as given and refused by the validator with the file's line and key.
        return new FrontendTraffic.RateLimit(clamp(rate), clamp(burst), clamp(v4), clamp(v6), clamp(sources));
    }

    private static int clamp(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static FrontendTraffic current(TomlEditor editor, List<String> table) {
        LoadResult parsed = ConfigLoader.parse(editor.text(), "config");
        return parsed.config().map(c -> c.frontends().get(table.get(1))).map(FrontendConfig::traffic)
                .orElse(FrontendTraffic.NONE);
    }

    static String sizeText(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + "KB" : Long.toString(bytes);
    }

    private static long parseSize(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        long unit = t.endsWith("GB") ? 1L << 30 : t.endsWith("MB") ? 1L << 20 : t.endsWith("KB") ? 1L << 10 : 1;
        String digits = unit == 1 ? t : t.substring(0, t.length() - 2).strip();
        return Long.parseLong(digits) * unit;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return out;
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        if (allow != null) {
            parts.add("allow " + allow.size() + " prefixes");
        }
        if (deny != null) {
            parts.add("deny " + deny.size() + " prefixes");
        }
        add(parts, "rate_limit", rateLimit);
        add(parts, "rate_limit_burst", rateLimitBurst);
        add(parts, "rate_limit_prefix_v4", rateLimitPrefixV4);
        add(parts, "rate_limit_prefix_v6", rateLimitPrefixV6);
        add(parts, "rate_limit_sources", rateLimitSources);
        add(parts, "access_log", accessLog);
        add(parts, "access_log_format", accessLogFormat);
        add(parts, "access_log_max_size", accessLogMaxSize);
        add(parts, "access_log_max_files", accessLogMaxFiles);
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, String key, Object value) {
        if (value != null) {
            parts.add(key + " " + value);
        }
    }
}
