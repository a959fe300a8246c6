package io.convey.admin;

import io.convey.admin.ApiErrors.ApiException;
import io.convey.admin.ApiErrors.ApiProblem;
import io.convey.admin.auth.AdminAuth;
import io.convey.admin.auth.AdminHosts;
import io.convey.admin.auth.AuditLog;
import io.convey.admin.auth.Caller;
import io.convey.admin.auth.Role;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The one decorator in front of every route. Before routing: the {@code Host} header must name this admin
 * (421 otherwise: DNS rebinding), a request naming another {@code Origin} is refused, oversized bodies stop
 * early. Once the route is known: the caller (session cookie or bearer token) must hold the role declared with
 * the route ({@link Access}); cookie writes also need the session's CSRF token and our own {@code Origin}; request
 * bodies need the route's media type (415). After: every write and failed login goes to the audit log.
 * Handlers never check credentials; they read the {@link Caller} this guard attached.
 */
final class AccessGuard {
    static final String SESSION_COOKIE = "convey_session";
    private static final String CALLER = "convey.caller";
    private static final String SUMMARY = "convey.summary";
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    /** Routes whose body is a TOML file. */
    private static final Set<String> TOML_ROUTES = Set.of("PUT /api/v1/config", "POST /api/v1/config/validate");
    /** Writes without a body (their Content-Type, if any, must still not be a form's). */
    private static final Set<String> BODILESS_ROUTES = Set.of("POST /api/v1/config/rollback/{id}", "POST /api/v1/logout");

    /** Oversized bodies up to this size are read and dropped before the 413, so the client sees the answer. */
    private static final long DRAIN_LIMIT = 16L << 20;

    private final AdminAuth auth;
    private final Set<String> hosts;
    private final BooleanSupplier protectMetrics;

    /**
     * @param hosts          accepted Host names and addresses ({@link AdminHosts#accepted})
     * @param protectMetrics whether {@code /stats} and {@code /metrics} need a credential now
     */
    AccessGuard(AdminAuth auth, Set<String> hosts, BooleanSupplier protectMetrics) {
        this.auth = auth;
        this.hosts = hosts;
        this.protectMetrics = protectMetrics;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.before(this::requestHygiene);
        cfg.routes.beforeMatched(this::authorize);
        cfg.routes.after(this::audit);
    }

    /** The caller of a route that needs one (set by the guard before the handler runs). */
    static Caller caller(Context ctx) {
        Optional<Caller> caller = ctx.attribute(CALLER);
        return caller == null ? null : caller.orElse(null);
    }

    /** Records who a successful login made the caller, for the audit log. */
    static void loggedIn(Context ctx, Caller caller) {
        ctx.attribute(CALLER, Optional.of(caller));
    }

    /** Records what a write did, for the audit log. */
    static void summary(Context ctx, String summary) {
        ctx.attribute(SUMMARY, summary);
    }

    private void requestHygiene(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || !hosts.contains(AdminHosts.hostOnly(host))) {
            throw new ApiException(421, "this admin does not answer to that host name", List.of(new ApiProblem("Host",
                    (host == null ? "missing" : "\"" + host + "\"") + " (expected: one of the admin's names or addresses,"
                            + " or a name listed in [admin] allowed_hosts)")));
        }
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(ctx))) {
            throw new ApiException(403, "requests from another origin are refused", List.of(new ApiProblem("Origin",
                    "\"" + origin + "\" (expected: " + ownOrigin(ctx) + ")")));
        }
        if (!READS.contains(ctx.method()) && ctx.contentLength() > Requests.MAX_BODY_BYTES) {
            // Read (and drop) a moderately oversized body first: over TLS, closing on a client that is still
            // sending resets the connection before it can read the 413. Beyond DRAIN_LIMIT the connection just ends.
            if (ctx.contentLength() <= DRAIN_LIMIT) {
                try {
                    ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    // the client went away: nobody reads the answer
                }
            }
            throw Requests.tooLarge();
        }
    }

    private void authorize(Context ctx) throws Exception {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            return; // static dashboard files: AdminServer refuses to start with an undeclared route
        }
        Access access = (Access) roles.iterator().next();
        String bearer = bearer(ctx);
        Optional<Caller> caller = auth.authenticate(bearer == null ? ctx.cookie(SESSION_COOKIE) : null, bearer);
        ctx.attribute(CALLER, caller);
        boolean needed = access == Access.METRICS ? protectMetrics.getAsBoolean() : access != Access.OPEN;
        if (needed) {
            Role required = access.role().orElseThrow();
            if (caller.isEmpty()) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "login required", List.of(new ApiProblem("Authorization",
                        (bearer != null ? "unknown or revoked token" : ctx.cookie(SESSION_COOKIE) != null
                                ? "the session has ended" : "no credential")
                                + " (expected: a session cookie from POST /api/v1/login, or Authorization: Bearer <token>)")));
            }
            if (!caller.get().role().includes(required)) {
                throw new ApiException(403, "the " + required.id() + " role is required", List.of(new ApiProblem("role",
                        caller.get().role().id() + " (expected: " + required.id() + " or above)")));
            }
            if (!READS.contains(ctx.method()) && caller.get().session().isPresent()) {
                checkCsrf(ctx, caller.get());
            }
        }
        if (!READS.contains(ctx.method())) {
            checkContentType(ctx);
        }
    }

    /** A cookie rides along with any request the browser makes: a write must prove it comes from our own page. */
    private static void checkCsrf(Context ctx, Caller caller) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            throw new ApiException(403, "cross-site request refused", List.of(new ApiProblem("Origin",
                    "missing (expected: " + ownOrigin(ctx) + ")")));
        }
        String presented = ctx.header("X-CSRF-Token");
        String expected = caller.session().orElseThrow().csrf();
        if (presented == null || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "cross-site request refused", List.of(new ApiProblem("X-CSRF-Token",
                    (presented == null ? "missing" : "wrong token") + " (expected: the csrf_token of this session)")));
        }
    }

    private static void checkContentType(Context ctx) {
        var matched = ctx.endpoints().matchedHttpEndpoint(); // ctx.endpoint() is this before-handler's own
        String route = ctx.method().name() + " " + (matched == null ? ctx.path() : matched.path);
        String expected = TOML_ROUTES.contains(route) ? "application/toml" : "application/json";
        String header = ctx.header("Content-Type");
        String type = header == null ? null : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        boolean bodiless = ctx.method() == HandlerType.DELETE || BODILESS_ROUTES.contains(route);
        boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
        boolean ok = type == null ? !hasBody || bodiless && ctx.contentLength() == 0 : type.equals(expected)
                || bodiless && type.equals("application/json");
        if (!ok) {
            throw new ApiException(415, "unsupported content type", List.of(new ApiProblem("Content-Type",
                    (header == null ? "missing" : "\"" + header + "\"") + " (expected: " + expected + ")")));
        }
    }

    private void audit(Context ctx) {
        if (READS.contains(ctx.method())) {
            return; // reads are not audited
        }
        int status = ctx.status().getCode();
        Caller caller = caller(ctx);
        String summary = ctx.attribute(SUMMARY);
        if (summary == null) {
            summary = ctx.attribute(ApiErrors.ERROR);
        }
        auth.audit().append(new AuditLog.Entry(Instant.now(), caller == null ? null : caller.user(),
                caller == null ? "none" : caller.via(), remote(ctx), ctx.method().name(), ctx.path(), status,
                status < 400 ? "accepted" : "refused", summary));
    }

    static String remote(Context ctx) {
        return ctx.req().getRemoteAddr();
    }

    static String ownOrigin(Context ctx) {
        return ctx.scheme() + "://" + ctx.header("Host");
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
    }
}
