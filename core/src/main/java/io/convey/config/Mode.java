package io.convey.config;

/** The forwarding mode the daemon runs in, chosen on the command line as in the original. */
public enum Mode {
    PROXY, PASSTHROUGH, DSR;

    /** Lower-case name used in the API and logs. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
