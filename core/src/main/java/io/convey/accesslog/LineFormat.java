package io.convey.accesslog;

import io.convey.traffic.AccessEntry;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes an access-log entry as one JSON object (JSON Lines) or as a syslog-like line of key=value pairs. */
final class LineFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    /** The last second formatted, up to its dot: a busy log formats a new second once, not once per line. */
    private record Second(long epochSecond, String text) {}

    private static Second lastSecond = new Second(Long.MIN_VALUE, "");

    private LineFormat() {}

    /**
     * {@code 2026-12-04T16:00:00.123Z}. The date and time up to the second come from a one-entry cache (an immutable
     * record, so a race between threads costs at most a second formatting), the milliseconds are appended.
     */
    static String time(long millis) {
        long second = Math.floorDiv(millis, 1000);
        Second cached = lastSecond;
        if (cached.epochSecond() != second) {
            String full = TIME.format(Instant.ofEpochMilli(second * 1000));
            cached = new Second(second, full.substring(0, full.indexOf('.') + 1));
            lastSecond = cached;
        }
        int ms = Math.floorMod(millis, 1000);
        return cached.text() + (ms < 10 ? "00" : ms < 100 ? "0" : "") + ms + "Z";
    }

    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        String host = a.getAddress().getHostAddress();
        if (a.getAddress() instanceof Inet6Address v6) {
            host = "[" + io.convey.net.AddressText.ipv6(v6.getAddress()) + "]";
        }
        return host + ":" + a.getPort();
    }

    /** Milliseconds with microsecond precision, e.g. {@code 12.345}. */
    static String millis(long nanos) {
        long micros = nanos / 1_000;
        long frac = micros % 1_000;
        return micros / 1_000 + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }

    static String json(AccessEntry e) {
        return json(new StringBuilder(320), e).toString();
    }

    /** Appends the entry's JSON object to {@code b}, without a line end. */
    static StringBuilder json(StringBuilder b, AccessEntry e) {
        b.append('{');
        field(b, "time", time(e.startMillis()), false);
        field(b, "client", address(e.client()), true);
        field(b, "frontend", e.frontend(), true);
        field(b, "pool", e.pool(), true);
        field(b, "server", e.server(), true);
        field(b, "server_addr", address(e.serverAddress()), true);
        b.append(",\"bytes_from_client\":").append(e.bytesFromClient());
        b.append(",\"bytes_from_server\":").append(e.bytesFromServer());
        b.append(",\"duration_ms\":").append(millis(e.durationNanos()));
        b.append(",\"connect_ms\":").append(millis(e.connectNanos()));
        b.append(",\"queue_ms\":").append(millis(e.queueNanos()));
        field(b, "ending", e.ending().id(), true);
        return b.append('}');
    }

    /** {@code 2026-12-04T16:00:00.123Z convey-access[web]: client=... ending=client_closed}, as syslog's format. */
    static String text(AccessEntry e) {
        return text(new StringBuilder(256), e).toString();
    }

    /** Appends the entry's text line to {@code b}, without a line end. */
    static StringBuilder text(StringBuilder b, AccessEntry e) {
        b.append(time(e.startMillis())).append(" convey-access[").append(e.frontend()).append("]:");
        pair(b, "client", address(e.client()));
        pair(b, "pool", e.pool());
        pair(b, "server", e.server());
        pair(b, "server_addr", address(e.serverAddress()));
        pair(b, "bytes_from_client", Long.toString(e.bytesFromClient()));
        pair(b, "bytes_from_server", Long.toString(e.bytesFromServer()));
        pair(b, "duration_ms", millis(e.durationNanos()));
        pair(b, "connect_ms", millis(e.connectNanos()));
        pair(b, "queue_ms", millis(e.queueNanos()));
        pair(b, "ending", e.ending().id());
        return b;
    }

    private static void pair(StringBuilder b, String key, String value) {
        b.append(' ').append(key).append('=').append(value == null ? "-" : value);
    }

    private static void field(StringBuilder b, String key, String value, boolean comma) {
        if (comma) {
            b.append(',');
        }
        b.append('"').append(key).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
