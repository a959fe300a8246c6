package io.convey.admin.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.convey.admin.auth.AuthException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens ({@code Authorization: Bearer cvy_...}) in {@code <state_dir>/tokens.json}: only their SHA-256
 * is stored, with an id, a name, the user they act for and when they were made and last used. The secret
 * is shown once, when made. Methods are synchronized; the daemon is the only writer of the file.
 */
public final class TokenStore {
    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);
    public static final String PREFIX = "cvy_";
    /** last_used_at is written back at most this often per token (it is shown, not relied on). */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** One stored token; {@code hash} is the SHA-256 (hex) of its secret. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Token(String id, String name, String user, String hash, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("last_used_at") Instant lastUsedAt) {}

    /** A token just made, with its secret (never stored, never shown again). */
    public record Created(Token token, String secret) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TokensFile(List<Token> tokens) {}

    private final Path file;
    private final Clock clock;
    private List<Token> tokens;

    private TokenStore(Path file, Clock clock, List<Token> tokens) {
        this.file = file;
        this.clock = clock;
        this.tokens = tokens;
    }

    /** Opens {@code file} (absent: no tokens yet). */
    public static TokenStore open(Path file, Clock clock) throws IOException {
        List<Token> tokens = List.of();
        if (Files.exists(file)) {
            TokensFile read = JSON.readValue(file.toFile(), TokensFile.class);
            tokens = read.tokens() == null ? List.of() : List.copyOf(read.tokens());
        }
        return new TokenStore(file, clock, tokens);
    }

    public synchronized Created create(String user, String name) throws IOException, AuthException {
        if (name == null || name.isBlank() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            throw new AuthException(Kind.INVALID, "invalid token name", "name", (name == null ? "missing" : "\"" + name + "\"")
                    + " (expected: 1-64 printable characters)");
        }
        String secret = PREFIX + Secrets.token(32);
        String id = Secrets.id();
        Token token = new Token(id, name.strip(), user, Secrets.sha256(secret), clock.instant(), null);
        List<Token> next = new ArrayList<>(tokens);
        next.add(token);
        save(next);
        log.info("token created id={} name=\"{}\" user={}", id, token.name(), user);
        return new Created(token, secret);
    }

    /** The token whose secret this is; every stored hash is compared in constant time. */
    public synchronized Optional<Token> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(secret);
        Token found = null;
        for (Token t : tokens) {
            if (Secrets.same(t.hash(), hash)) {
                found = t;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (found.lastUsedAt() == null || Duration.between(found.lastUsedAt(), now).compareTo(LAST_USED_PRECISION) >= 0) {
            Token used = new Token(found.id(), found.name(), found.user(), found.hash(), found.createdAt(), now);
            List<Token> next = new ArrayList<>(tokens);
            next.set(next.indexOf(found), used);
            try {
                save(next);
            } catch (IOException e) {
                tokens = List.copyOf(next);
                log.warn("tokens file not written file={}", file, e);
            }
            found = used;
        }
        return Optional.of(found);
    }

    public synchronized List<Token> list(Predicate<Token> filter) {
        return tokens.stream().filter(filter).toList();
    }

    public synchronized Optional<Token> byId(String id) {
        return tokens.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** Removes the tokens that match; returns how many. */
    public synchronized int revoke(Predicate<Token> which) throws IOException {
        List<Token> next = tokens.stream().filter(which.negate()).toList();
        int removed = tokens.size() - next.size();
        if (removed > 0) {
            save(next);
            log.info("tokens revoked count={}", removed);
        }
        return removed;
    }

    private void save(List<Token> next) throws IOException {
        SecretFiles.write(file, JSON.writeValueAsBytes(new TokensFile(next)));
        tokens = List.copyOf(next);
    }
}
