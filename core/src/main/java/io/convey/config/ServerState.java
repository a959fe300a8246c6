package io.convey.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** An operator's intent for a server: take new connections, drain (finish the established ones only) or disabled. */
public enum ServerState {
    ENABLED, DRAIN, DISABLED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ServerState> fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(ServerState::id).collect(Collectors.joining(", "));
    }
}
