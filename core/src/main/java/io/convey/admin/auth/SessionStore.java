package io.convey.admin.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, in memory only (a restart logs everyone out): keyed by the SHA-256 of the cookie's value,
 * each with its own CSRF token, ending after {@code idle} without a request or {@code maxAge} after login.
 */
public final class SessionStore {
    /** One session; {@code key} is the digest of the cookie value. */
    public record Session(String key, String user, String csrf, Instant createdAt, Instant lastSeen, Instant expiresAt) {}

    /** A session just made, with the cookie value to send (only its digest is kept). */
    public record Opened(Session session, String cookie) {}

    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public SessionStore(Clock clock, Duration idle, Duration maxAge) {
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
    }

    public Duration idle() {
        return idle;
    }

    public Opened open(String user) {
        String cookie = Secrets.token(32);
        Instant now = clock.instant();
        Session session = new Session(Secrets.sha256(cookie), user, Secrets.token(32), now, now, now.plus(maxAge));
        sessions.put(session.key(), session);
        sessions.values().removeIf(this::expired); // bounded: ended sessions go at the next login
        return new Opened(session, cookie);
    }

    /** The live session of this cookie value, touched (its idle timer restarts). */
    public Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.empty();
        }
        String key = Secrets.sha256(cookie);
        Session found = sessions.get(key);
        if (found == null) {
            return Optional.empty();
        }
        if (expired(found)) {
            sessions.remove(key);
            return Optional.empty();
        }
        Session touched = new Session(found.key(), found.user(), found.csrf(), found.createdAt(), clock.instant(),
                found.expiresAt());
        sessions.replace(key, found, touched);
        return Optional.of(touched);
    }

    public void end(Session session) {
        sessions.remove(session.key());
    }

    /** Ends every session of {@code user} (removed, or password changed), except {@code keep} if given. */
    public void endAll(String user, String keep) {
        sessions.values().removeIf(s -> s.user().equals(user) && !s.key().equals(keep));
    }

    private boolean expired(Session s) {
        Instant now = clock.instant();
        return !now.isBefore(s.expiresAt()) || !now.isBefore(s.lastSeen().plus(idle));
    }
}
