package io.convey.admin;

import io.convey.admin.auth.Role;
import io.javalin.security.RouteRole;
import java.util.Optional;

/**
 * Who may call a route, declared next to the route when it is registered ({@code cfg.routes.get(path, handler,
 * Access.VIEWER)}); {@link AccessGuard} enforces it and {@link OpenApi} publishes it, from the same declaration.
 */
enum Access implements RouteRole {
    /** Anyone (the login route). */
    OPEN(null),
    /** {@code /stats} and {@code /metrics}: anyone, unless {@code [admin] protect_metrics} asks for a credential. */
    METRICS(Role.VIEWER),
    /** Any logged-in user. */
    VIEWER(Role.VIEWER),
    OPERATOR(Role.OPERATOR),
    ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    /** The role the route needs (for METRICS: when protected); empty for OPEN. */
    Optional<Role> role() {
        return Optional.ofNullable(role);
    }

    /** What OpenAPI's {@code x-required-role} says: {@code none}, {@code viewer}, ... */
    String id() {
        return switch (this) {
            case OPEN -> "none";
            case METRICS -> "none (viewer with protect_metrics)";
            default -> role.id();
        };
    }
}
