package io.convey.config;

/** How access-log lines are written. */
public enum AccessLogFormat implements ConfigWord {
    /** One JSON object per line (JSON Lines). */
    JSON,
    /** A syslog-like line: time, tag, then key=value pairs. */
    TEXT
}
