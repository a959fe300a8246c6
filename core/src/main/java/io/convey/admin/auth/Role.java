package io.convey.admin.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a user may do: {@code viewer} reads, {@code operator} also runs servers, {@code admin} does everything. */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** The word used in files, the API and the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    public static Optional<Role> parse(String text) {
        return Arrays.stream(values()).filter(r -> r.id().equals(text)).findFirst();
    }

    /** {@code "viewer, operator, admin"}, for error messages. */
    public static String choices() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
