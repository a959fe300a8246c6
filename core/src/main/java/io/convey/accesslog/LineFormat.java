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
        return appendTime(new StringBuilder(24), millis).toString();
    }

    /** Appends {@link #time}'s text to {@code b} without an intermediate string (the writer formats every line). */
    static StringBuilder appendTime(StringBuilder b, long millis) {
        long second = Math.floorDiv(millis, 1000);
        Second cached = lastSecond;
        if (cached.epochSecond() != second) {
            String full = TIME.format(Instant.ofEpochMilli(second * 1000));
            cached = new Second(second, full.substring(0, full.indexOf('.') + 1));
            lastSecond = cached;
        }
        int ms = Math.floorMod(millis, 1000);
        return b.append(cached.text()).append(ms < 10 ? "00" : ms < 100 ? "0" : "").append(ms).append('Z');
    }

    static String address(InetSocketAddress a) {
        return a == null ? null : appendAddress(new StringBuilder(24), a).toString();
    }

    /** Appends {@code 192.0.2.7:443} or {@code [2001:db8::7]:443}; IPv4 digit by digit, with no string between. */
    static StringBuilder appendAddress(StringBuilder b, InetSocketAddress a) {
        if (a.getAddress() instanceof Inet6Address v6) {
            b.append('[').append(io.convey.net.AddressText.ipv6(v6.getAddress())).append(']');
        } else {
            byte[] octets = a.getAddress().getAddress();
            for (int i = 0; i < octets.length; i++) {
                b.append(i == 0 ? "" : ".").append(octets[i] & 0xff);
            }
        }
        return b.append(':').append(a.getPort());
    }

    /** Milliseconds with microsecond precision, e.g. {@code 12.345}. */
    static String millis(long nanos) {
        return appendMillis(new StringBuilder(12), nanos).toString();
    }

    static StringBuilder appendMillis(StringBuilder b, long nanos) {
        long micros = nanos / 1_000;
        long frac = micros % 1_000;
        return b.append(micros / 1_000).append('.').append(frac < 10 ? "00" : frac < 100 ? "0" : "").append(frac);
    }

    static String json(AccessEntry e) {
        return json(new StringBuilder(320), e).toString();
    }

    /** Appends the entry's JSON object to {@code b}, without a line end. */
    static StringBuilder json(StringBuilder b, AccessEntry e) {
        // Times, addresses and numbers are appended as they are (nothing in them needs escaping); names are escaped.
        appendTime(b.append("{\"time\":\""), e.startMillis()).append('"');
        b.append(",\"client\":");
        quotedAddress(b, e.client());
        field(b, "frontend", e.frontend(), true);
        field(b, "pool", e.pool(), true);
        field(b, "server", e.server(), true);
        b.append(",\"server_addr\":");
        quotedAddress(b, e.serverAddress());
        b.append(",\"bytes_from_client\":").append(e.bytesFromClient());
        b.append(",\"bytes_from_server\":").append(e.bytesFromServer());
        appendMillis(b.append(",\"duration_ms\":"), e.durationNanos());
        appendMillis(b.append(",\"connect_ms\":"), e.connectNanos());
        appendMillis(b.append(",\"queue_ms\":"), e.queueNanos());
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

    private static void quotedAddress(StringBuilder b, InetSocketAddress a) {
        if (a == null) {
            b.append("null");
        } else {
            appendAddress(b.append('"'), a).append('"');
        }
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
