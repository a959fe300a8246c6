package io.convey.config;

/** An operator's intent for a server: take new connections, drain (finish the established ones only) or disabled. */
public enum ServerState implements ConfigWord {
    ENABLED, DRAIN, DISABLED
}
