package io.convey.admin.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin plane's credentials in one place: the users file, API tokens, browser sessions, the login
 * throttle and the audit log, opened from the state directory. Nothing here knows HTTP.
 */
public final class AdminAuth {
    private static final Logger log = LoggerFactory.getLogger(AdminAuth.class);
    public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    public static final String TOKENS_FILE = "tokens.json";

    /** What a password login came to. */
    public sealed interface Login {
        /** The user and password match. */
        record Accepted(UserStore.User user) implements Login {}

        /** Wrong user or password (the same answer for both). */
        record Refused() implements Login {}

        /** Too many failures for this user or address: try again after {@code retryAfter}. */
        record Throttled(Duration retryAfter) implements Login {}
    }

    private final UserStore users;
    private final TokenStore tokens;
    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Path stateDir;

    private AdminAuth(Path stateDir, UserStore users, TokenStore tokens, SessionStore sessions, LoginThrottle throttle,
            AuditLog audit) {
        this.stateDir = stateDir;
        this.users = users;
        this.tokens = tokens;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
    }

    /**
     * Opens (creating what is missing) the state directory and the users file; with no users, creates {@code admin}
     * with a random password written to {@code <state_dir>/initial-admin-password}.
     */
    public static AdminAuth open(Path stateDir, Path usersFile, Duration idle, Duration maxAge, Clock clock)
            throws IOException {
        SecretFiles.directory(stateDir);
        UserStore users = new UserStore(usersFile, clock);
        Optional<String> first = users.createFirstAdmin();
        if (first.isPresent()) {
            Path file = stateDir.resolve(INITIAL_PASSWORD_FILE);
            SecretFiles.write(file, (first.get() + "\n").getBytes(StandardCharsets.UTF_8));
            log.info("no admin users: created user \"admin\"; its password is in {}", file);
        }
        return new AdminAuth(stateDir, users, TokenStore.open(stateDir.resolve(TOKENS_FILE), clock),
                new SessionStore(clock, idle, maxAge), new LoginThrottle(clock), new AuditLog(stateDir.resolve(AuditLog.FILE)));
    }

    /** Checks a password login, counting failures per user and per client address. */
    public Login login(String user, char[] password, String from) throws IOException {
        Optional<Duration> wait = throttle.wait(user, from);
        if (wait.isPresent()) {
            log.warn("login refused: throttled user={} from={} retry_after_s={}", user, from, seconds(wait.get()));
            return new Login.Throttled(wait.get());
        }
        Optional<UserStore.User> found = users.verify(user, password);
        if (found.isEmpty()) {
            throttle.failed(user, from);
            log.warn("login failed: wrong user or password user={} from={}", user, from);
            return new Login.Refused();
        }
        throttle.succeeded(user, from);
        log.info("login user={} from={}", user, from);
        return new Login.Accepted(found.get());
    }

    /** The caller a session cookie or bearer token stands for, with the user's current role; empty if neither is valid. */
    public Optional<Caller> authenticate(String cookie, String bearer) throws IOException {
        if (bearer != null) {
            Optional<TokenStore.Token> token = tokens.find(bearer);
            if (token.isPresent()) {
                Optional<UserStore.User> user = users.find(token.get().user());
                if (user.isPresent()) {
                    return Optional.of(new Caller(user.get().name(), user.get().roleOrViewer(), Optional.empty(), token));
                }
            }
            return Optional.empty();
        }
        Optional<SessionStore.Session> session = sessions.find(cookie);
        if (session.isPresent()) {
            Optional<UserStore.User> user = users.find(session.get().user());
            if (user.isPresent()) {
                return Optional.of(new Caller(user.get().name(), user.get().roleOrViewer(), session, Optional.empty()));
            }
            sessions.end(session.get());
        }
        return Optional.empty();
    }

    /** Removes a user, their tokens and their sessions. */
    public void removeUser(String name) throws IOException, AuthException {
        users.remove(name);
        tokens.revoke(t -> t.user().equals(name));
        sessions.endAll(name, "");
    }

    public static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    public UserStore users() {
        return users;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public AuditLog audit() {
        return audit;
    }

    public Path stateDir() {
        return stateDir;
    }
}
