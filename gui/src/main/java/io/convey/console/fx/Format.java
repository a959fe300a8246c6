package io.convey.console.fx;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Numbers, sizes and times as the console prints them. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Format() {
    }

    public static String bytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? String.format("%.0f %s", value, units[unit]) : String.format("%.1f %s", value, units[unit]);
    }

    public static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    public static String dateTime(Instant at) {
        return at == null ? "" : DATE_TIME.format(at);
    }

    public static String duration(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (d.toDays() > 0) {
            return String.format("%dd %02dh %02dm", d.toDays(), d.toHoursPart(), d.toMinutesPart());
        }
        return String.format("%02d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    public static String percent(double fraction) {
        return String.format("%.1f %%", fraction * 100);
    }
}
