package io.convey.admin.auth;

import java.util.Optional;

/**
 * Who makes a request: a user with their current role, through a browser session or an API token.
 * {@code by} is what the config history and audit log record.
 */
public record Caller(String user, Role role, Optional<SessionStore.Session> session, Optional<TokenStore.Token> token) {
    /** {@code session} or {@code token}. */
    public String auth() {
        return session.isPresent() ? "session" : "token";
    }

    /** {@code session}, or {@code token:<name>}, for the audit log. */
    public String via() {
        return token.map(t -> "token:" + t.name()).orElse("session");
    }

    /** {@code alice}, or {@code ops-script (token of alice)}. */
    public String by() {
        return token.map(t -> t.name() + " (token of " + user + ")").orElse(user);
    }
}
