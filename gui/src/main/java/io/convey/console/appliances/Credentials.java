package io.convey.console.appliances;

/** What the operator typed to log in: a user and password (for a new token), or a token they already have. */
public record Credentials(String user, String password, String token) {
    public Credentials {
        user = user == null ? "" : user.strip();
        password = password == null ? "" : password;
        token = token == null ? "" : token.strip();
    }

    /** True when a user and password are given (they win over a token). */
    public boolean hasPassword() {
        return !user.isEmpty() && !password.isEmpty();
    }

    /**
     * @throws IllegalArgumentException in the console's error format when neither a login nor a token is given
     */
    public Credentials validated() {
        if (!hasPassword() && token.isEmpty()) {
            throw new IllegalArgumentException("login: " + (user.isEmpty() ? "no user" : "no password")
                    + " (expected: a user and password, or an API token)");
        }
        return this;
    }
}
