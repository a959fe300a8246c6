package io.convey.config;

import io.convey.net.Cidr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/** Reads a frontend's traffic-control keys for {@link ConfigLoader} (allow/deny, rate limit, access log). */
final class TrafficReader {
    static final Set<String> KEYS = Set.of("allow", "deny", "rate_limit", "rate_limit_burst", "rate_limit_prefix_v4",
            "rate_limit_prefix_v6", "rate_limit_sources", "access_log", "access_log_format", "access_log_max_size",
            "access_log_max_files");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    private final ConfigLoader in;

    TrafficReader(ConfigLoader in) {
        this.in = in;
    }

    FrontendTraffic read(TomlTable fe, List<String> path) {
        List<Cidr> allow = prefixes(fe, path, "allow");
        List<Cidr> deny = prefixes(fe, path, "deny");
        return new FrontendTraffic(allow, deny, rateLimit(fe, path), accessLog(fe, path));
    }

    private List<Cidr> prefixes(TomlTable fe, List<String> path, String key) {
        Object value = fe.get(List.of(key));
        List<Cidr> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof TomlArray array)) {
            in.error(ConfigLoader.append(path, key), ConfigLoader.render(value)
                    + " (expected: an array of address prefixes, e.g. [\"10.0.0.0/8\", \"2001:db8::/32\"])");
            return out;
        }
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String text)) {
                in.error(ConfigLoader.append(path, key), ConfigLoader.render(array.get(i))
                        + " (expected: an address prefix as a string, e.g. \"10.0.0.0/8\")");
                continue;
            }
            try {
                out.add(Cidr.parse(text.strip()));
            } catch (IllegalArgumentException e) {
                in.error(ConfigLoader.append(path, key), e.getMessage());
            }
        }
        return out;
    }

    private Optional<FrontendTraffic.RateLimit> rateLimit(TomlTable fe, List<String> path) {
        long rate = in.integer(fe, path, "rate_limit", 0, 0, 10_000_000);
        long burst = in.integer(fe, path, "rate_limit_burst", Math.max(rate, 1), 1, 10_000_000);
        long v4 = in.integer(fe, path, "rate_limit_prefix_v4", FrontendTraffic.RateLimit.DEFAULT_PREFIX_V4, 1, 32);
        long v6 = in.integer(fe, path, "rate_limit_prefix_v6", FrontendTraffic.RateLimit.DEFAULT_PREFIX_V6, 1, 128);
        long sources = in.integer(fe, path, "rate_limit_sources", FrontendTraffic.RateLimit.DEFAULT_SOURCES, 1_024,
                16_777_216);
        if (rate == 0) {
            return Optional.empty();
        }
        return Optional.of(new FrontendTraffic.RateLimit((int) rate, (int) burst, (int) v4, (int) v6, (int) sources));
    }

    private Optional<FrontendTraffic.AccessLog> accessLog(TomlTable fe, List<String> path) {
        String destination = in.string(fe, path, "access_log", false);
        AccessLogFormat format = in.enumValue(fe, path, "access_log_format", AccessLogFormat.JSON, AccessLogFormat.class);
        long maxSize = size(fe, path);
        int maxFiles = (int) in.integer(fe, path, "access_log_max_files", FrontendTraffic.AccessLog.DEFAULT_MAX_FILES, 1,
                FrontendTraffic.AccessLog.MAX_FILES);
        if (destination == null || destination.equals("off")) {
            return Optional.empty();
        }
        if (!destination.equals(FrontendTraffic.AccessLog.STDOUT) && !Path.of(destination).isAbsolute()) {
            in.error(ConfigLoader.append(path, "access_log"), SocketAddresses.quote(destination)
                    + " (expected: \"off\", \"stdout\" or an absolute file path)");
            return Optional.empty();
        }
        return Optional.of(new FrontendTraffic.AccessLog(destination, format, maxSize, maxFiles));
    }

    /** A size as Logback writes it ("100MB", "64KB"), at least 1 KB. */
    private long size(TomlTable fe, List<String> path) {
        String text = in.string(fe, path, "access_log_max_size", false);
        if (text == null) {
            return FrontendTraffic.AccessLog.DEFAULT_MAX_SIZE;
        }
        Matcher m = SIZE.matcher(text.strip());
        long bytes = -1;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
            bytes = switch (unit) {
                case "KB" -> n << 10;
                case "MB" -> n << 20;
                case "GB" -> n << 30;
                default -> n;
            };
        }
        if (bytes < 1024) {
            in.error(ConfigLoader.append(path, "access_log_max_size"), SocketAddresses.quote(text)
                    + " (expected: a size of at least 1KB, e.g. \"100MB\")");
            return FrontendTraffic.AccessLog.DEFAULT_MAX_SIZE;
        }
        return bytes;
    }
}
