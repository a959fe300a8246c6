package io.convey.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convey.admin.ApiErrors.ApiException;
import io.convey.admin.ApiErrors.ApiProblem;
import io.convey.admin.auth.AdminAuth;
import io.convey.admin.auth.AuthException;
import io.convey.admin.auth.Caller;
import io.convey.admin.auth.Role;
import io.convey.admin.auth.SessionStore;
import io.convey.admin.auth.TokenStore;
import io.convey.admin.auth.UserStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Logging in and out, the caller's session and password, API tokens, users, and the audit log. */
final class AuthRoutes {
    /** The largest {@code limit} of {@code GET /api/v1/audit}. */
    static final int MAX_AUDIT_ENTRIES = 1000;

    private final AdminAuth auth;
    private final ObjectMapper mapper;

    AuthRoutes(AdminAuth auth, ObjectMapper mapper) {
        this.auth = auth;
        this.mapper = mapper;
    }

    /** {@code POST /api/v1/login} without token_name: the session cookie carries the rest. */
    record SessionLogin(String user, String role, @JsonProperty("csrf_token") String csrfToken,
            @JsonProperty("idle_timeout_s") long idleTimeoutS, @JsonProperty("expires_at") Instant expiresAt) {}

    /** {@code POST /api/v1/login} with token_name, and {@code POST /api/v1/tokens}: the secret is shown once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NewToken(String user, String role, String token, String id, String name,
            @JsonProperty("created_at") Instant createdAt) {}

    /** {@code GET /api/v1/session}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SessionView(String user, String role, @JsonProperty("csrf_token") @JsonInclude(JsonInclude.Include.ALWAYS)
            String csrfToken, String auth, @JsonProperty("token_name") String tokenName) {}

    /** One token as listed (never its secret or hash). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TokenView(String id, String name, String user, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("last_used_at") Instant lastUsedAt) {
        static TokenView of(TokenStore.Token t) {
            return new TokenView(t.id(), t.name(), t.user(), t.createdAt(), t.lastUsedAt());
        }
    }

    /** One user as listed (never the hash). */
    record UserView(String name, String role, @JsonProperty("created_at") Instant createdAt) {
        static UserView of(UserStore.User u) {
            return new UserView(u.name(), u.roleOrViewer().id(), u.createdAt());
        }
    }

    void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/login", this::login, Access.OPEN);
        cfg.routes.post("/api/v1/logout", this::logout, Access.VIEWER);
        cfg.routes.get("/api/v1/session", this::session, Access.VIEWER);
        cfg.routes.post("/api/v1/session/password", this::changeOwnPassword, Access.VIEWER);
        cfg.routes.get("/api/v1/tokens", this::tokens, Access.VIEWER);
        cfg.routes.post("/api/v1/tokens", this::createToken, Access.VIEWER);
        cfg.routes.delete("/api/v1/tokens/{id}", this::deleteToken, Access.VIEWER);
        cfg.routes.get("/api/v1/users", ctx -> ctx.json(auth.users().list().stream().map(UserView::of).toList()),
                Access.ADMIN);
        cfg.routes.post("/api/v1/users", this::addUser, Access.ADMIN);
        cfg.routes.patch("/api/v1/users/{name}", this::changeUser, Access.ADMIN);
        cfg.routes.delete("/api/v1/users/{name}", this::removeUser, Access.ADMIN);
        cfg.routes.get("/api/v1/audit", ctx -> ctx.json(auth.audit().recent(limit(ctx))), Access.ADMIN);
    }

    private void login(Context ctx) throws IOException, AuthException {
        ObjectNode body = Requests.object(ctx, mapper, Set.of("user", "password", "token_name"));
        String user = Requests.requiredString(body, "user", "user");
        String password = Requests.requiredString(body, "password", "password");
        String tokenName = Requests.string(body, "token_name", "token_name");
        AccessGuard.summary(ctx, "login of " + user);
        AdminAuth.Login outcome = auth.login(user, password.toCharArray(), AccessGuard.remote(ctx));
        switch (outcome) {
            case AdminAuth.Login.Throttled t -> {
                ctx.header("Retry-After", String.valueOf(AdminAuth.seconds(t.retryAfter())));
                throw new ApiException(429, "too many failed logins", List.of(new ApiProblem("user",
                        "locked for " + AdminAuth.seconds(t.retryAfter()) + " s (expected: retry after Retry-After seconds)")));
            }
            case AdminAuth.Login.Refused r -> throw new ApiException(401, "wrong user or password", List.of());
            case AdminAuth.Login.Accepted a -> {
                Role role = a.user().roleOrViewer();
                if (tokenName != null) {
                    TokenStore.Created created = auth.tokens().create(a.user().name(), tokenName);
                    AccessGuard.loggedIn(ctx, new Caller(a.user().name(), role, Optional.empty(), Optional.of(created.token())));
                    AccessGuard.summary(ctx, "login of " + user + ": token \"" + tokenName + "\" created");
                    ctx.status(201).json(new NewToken(a.user().name(), role.id(), created.secret(), created.token().id(),
                            created.token().name(), created.token().createdAt()));
                    return;
                }
                SessionStore.Opened opened = auth.sessions().open(a.user().name());
                AccessGuard.loggedIn(ctx, new Caller(a.user().name(), role, Optional.of(opened.session()), Optional.empty()));
                ctx.res().addHeader("Set-Cookie", cookie(ctx, opened.cookie(),
                        opened.session().expiresAt().getEpochSecond() - Instant.now().getEpochSecond()));
                ctx.json(new SessionLogin(a.user().name(), role.id(), opened.session().csrf(),
                        auth.sessions().idle().toSeconds(), opened.session().expiresAt()));
            }
        }
    }

    private void logout(Context ctx) {
        Caller caller = AccessGuard.caller(ctx);
        caller.session().ifPresent(auth.sessions()::end);
        ctx.res().addHeader("Set-Cookie", cookie(ctx, "", 0));
        AccessGuard.summary(ctx, "logout of " + caller.user());
        ctx.status(204);
    }

    private void session(Context ctx) {
        Caller caller = AccessGuard.caller(ctx);
        ctx.json(new SessionView(caller.user(), caller.role().id(),
                caller.session().map(SessionStore.Session::csrf).orElse(null), caller.auth(),
                caller.token().map(TokenStore.Token::name).orElse(null)));
    }

    private void changeOwnPassword(Context ctx) throws IOException, AuthException {
        Caller caller = AccessGuard.caller(ctx);
        ObjectNode body = Requests.object(ctx, mapper, Set.of("current_password", "new_password"));
        String current = Requests.requiredString(body, "current_password", "current_password");
        String next = Requests.requiredString(body, "new_password", "new_password");
        AccessGuard.summary(ctx, "password change of " + caller.user());
        switch (auth.login(caller.user(), current.toCharArray(), AccessGuard.remote(ctx))) {
            case AdminAuth.Login.Throttled t -> {
                ctx.header("Retry-After", String.valueOf(AdminAuth.seconds(t.retryAfter())));
                throw new ApiException(429, "too many failed logins", List.of());
            }
            case AdminAuth.Login.Refused r -> throw new ApiException(403, "wrong current password", List.of(
                    new ApiProblem("current_password", "wrong (expected: the password you logged in with)")));
            case AdminAuth.Login.Accepted a -> {
                auth.users().setPassword(caller.user(), next.toCharArray());
                auth.sessions().endAll(caller.user(), caller.session().map(SessionStore.Session::key).orElse(""));
                ctx.status(204);
            }
        }
    }

    private void tokens(Context ctx) {
        Caller caller = AccessGuard.caller(ctx);
        boolean all = "true".equals(ctx.queryParam("all"));
        if (all) {
            requireAdmin(caller, "all=true");
        }
        ctx.json(auth.tokens().list(t -> all || t.user().equals(caller.user())).stream().map(TokenView::of).toList());
    }

    private void createToken(Context ctx) throws IOException, AuthException {
        Caller caller = AccessGuard.caller(ctx);
        ObjectNode body = Requests.object(ctx, mapper, Set.of("name"));
        TokenStore.Created created = auth.tokens().create(caller.user(), Requests.requiredString(body, "name", "name"));
        AccessGuard.summary(ctx, "token \"" + created.token().name() + "\" created for " + caller.user());
        ctx.status(201).json(new NewToken(caller.user(), null, created.secret(), created.token().id(),
                created.token().name(), created.token().createdAt()));
    }

    private void deleteToken(Context ctx) throws IOException {
        Caller caller = AccessGuard.caller(ctx);
        String id = ctx.pathParam("id");
        TokenStore.Token token = auth.tokens().byId(id)
                .filter(t -> t.user().equals(caller.user()) || caller.role().includes(Role.ADMIN))
                .orElseThrow(() -> ApiErrors.notFound("no token " + id, "id", "\"" + id + "\" (expected: the id of one of "
                        + (caller.role().includes(Role.ADMIN) ? "the" : "your") + " tokens)"));
        auth.tokens().revoke(t -> t.id().equals(token.id()));
        AccessGuard.summary(ctx, "token \"" + token.name() + "\" of " + token.user() + " revoked");
        ctx.status(204);
    }

    private void addUser(Context ctx) throws IOException, AuthException {
        ObjectNode body = Requests.object(ctx, mapper, Set.of("name", "role", "password"));
        String name = Requests.requiredString(body, "name", "name");
        Role role = role(Requests.requiredString(body, "role", "role"));
        UserStore.User user = auth.users().add(name, role, Requests.requiredString(body, "password", "password").toCharArray());
        AccessGuard.summary(ctx, "user " + name + " added (" + role.id() + ")");
        ctx.status(201).json(UserView.of(user));
    }

    private void changeUser(Context ctx) throws IOException, AuthException {
        String name = ctx.pathParam("name");
        ObjectNode body = Requests.object(ctx, mapper, Set.of("role", "password"));
        String roleText = Requests.string(body, "role", "role");
        String password = Requests.string(body, "password", "password");
        if (password != null) {
            UserStore.checkPassword(password.toCharArray()); // before any change: all or nothing
        }
        Role role = roleText == null ? null : role(roleText);
        UserStore.User user = auth.users().find(name).orElseThrow(() -> ApiErrors.notFound("no user " + name, "name",
                "\"" + name + "\" (expected: an existing user)"));
        if (role != null) {
            user = auth.users().setRole(name, role);
        }
        if (password != null) {
            user = auth.users().setPassword(name, password.toCharArray());
            auth.sessions().endAll(name, "");
        }
        AccessGuard.summary(ctx, "user " + name + " changed" + (role != null ? " (role " + role.id() + ")" : "")
                + (password != null ? " (password)" : ""));
        ctx.json(UserView.of(user));
    }

    private void removeUser(Context ctx) throws IOException, AuthException {
        String name = ctx.pathParam("name");
        auth.removeUser(name);
        AccessGuard.summary(ctx, "user " + name + " removed");
        ctx.status(204);
    }

    private static Role role(String text) {
        return Role.parse(text).orElseThrow(() -> new ApiException(422, "invalid role", List.of(new ApiProblem("role",
                "\"" + text + "\" (expected one of: " + Role.choices() + ")"))));
    }

    /** The one query-dependent permission (the route itself is open to every user for their own tokens). */
    private static void requireAdmin(Caller caller, String what) {
        if (!caller.role().includes(Role.ADMIN)) {
            throw new ApiException(403, "the admin role is required", List.of(new ApiProblem(what,
                    caller.role().id() + " (expected: admin)")));
        }
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        long limit = text == null ? 100 : Requests.number(text, "limit");
        if (limit < 1 || limit > MAX_AUDIT_ENTRIES) {
            throw ApiErrors.badRequest("limit", limit + " (expected: 1-" + MAX_AUDIT_ENTRIES + ")");
        }
        return (int) limit;
    }

    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        return AccessGuard.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + Math.max(0, maxAgeSeconds)
                + "; HttpOnly; SameSite=Strict" + (ctx.scheme().equals("https") ? "; Secure" : "");
    }
}
