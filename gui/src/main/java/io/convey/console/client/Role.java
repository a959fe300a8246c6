package io.convey.console.client;

import java.util.Locale;
import java.util.Optional;

/** The roles of the appliance's users, each allowed what the ones before it are. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** The role an API document names; empty for one this console does not know. */
    public static Optional<Role> of(String name) {
        for (Role role : values()) {
            if (role.word().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** True when this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The API's and the operator's word for it: {@code viewer}, {@code operator}, {@code admin}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
