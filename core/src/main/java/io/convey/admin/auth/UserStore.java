package io.convey.admin.auth;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.convey.admin.auth.AuthException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users file ({@code [admin] users_file}): names, roles and Argon2id hashes as JSON, written atomically
 * and owner-only. The file is the truth: it is re-read whenever its modification time or size changes, so
 * {@code convey users add} reaches a running daemon. Methods are synchronized (API threads and the CLI's
 * single thread); a write re-reads first so that it never loses a change made by another process.
 */
public final class UserStore {
    private static final Logger log = LoggerFactory.getLogger(UserStore.class);
    /** The shortest password accepted (NIST SP 800-63B asks at least 8; we ask a little more). */
    public static final int MIN_PASSWORD_LENGTH = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    /** One user as stored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(String name, String role, @JsonProperty("password_hash") String passwordHash,
            @JsonProperty("created_at") Instant createdAt) {
        /** The role, or viewer for a damaged entry (least privilege). */
        public Role roleOrViewer() {
            return Role.parse(role).orElse(Role.VIEWER);
        }
    }

    /** The file's shape. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UsersFile(List<User> users) {}

    private final Path file;
    private final Clock clock;
    private List<User> users = List.of();
    private FileTime loadedTime;
    private long loadedSize = -1;

    public UserStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** Every user, in file order. */
    public synchronized List<User> list() throws IOException {
        refresh();
        return users;
    }

    public synchronized Optional<User> find(String name) throws IOException {
        refresh();
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /**
     * Checks a password; an unknown user costs as much as a wrong password (a dummy hash is checked), so the
     * answer's timing does not tell which names exist.
     */
    public Optional<User> verify(String name, char[] password) throws IOException {
        Optional<User> user = find(name);
        boolean ok = PasswordHash.verify(user.map(User::passwordHash).orElse(DUMMY), password);
        return ok ? user : Optional.empty();
    }

    private static final String DUMMY = PasswordHash.hash("not a password of anyone".toCharArray());

    public synchronized User add(String name, Role role, char[] password) throws IOException, AuthException {
        checkName(name);
        checkPassword(password);
        refresh();
        if (users.stream().anyMatch(u -> u.name().equals(name))) {
            throw new AuthException(Kind.CONFLICT, "the user exists", "name", "\"" + name + "\" (expected: a new name)");
        }
        User user = new User(name, role.id(), PasswordHash.hash(password), clock.instant());
        List<User> next = new ArrayList<>(users);
        next.add(user);
        save(next);
        log.info("user added name={} role={}", name, role.id());
        return user;
    }

    public synchronized User setPassword(String name, char[] password) throws IOException, AuthException {
        checkPassword(password);
        User old = existing(name);
        User user = new User(old.name(), old.role(), PasswordHash.hash(password), old.createdAt());
        replace(old, user);
        log.info("password changed user={}", name);
        return user;
    }

    public synchronized User setRole(String name, Role role) throws IOException, AuthException {
        User old = existing(name);
        if (old.roleOrViewer() == Role.ADMIN && role != Role.ADMIN) {
            requireAnotherAdmin(name);
        }
        User user = new User(old.name(), role.id(), old.passwordHash(), old.createdAt());
        replace(old, user);
        log.info("role changed user={} role={}", name, role.id());
        return user;
    }

    public synchronized void remove(String name) throws IOException, AuthException {
        User old = existing(name);
        if (old.roleOrViewer() == Role.ADMIN) {
            requireAnotherAdmin(name);
        }
        List<User> next = new ArrayList<>(users);
        next.remove(old);
        save(next);
        log.info("user removed name={}", name);
    }

    /**
     * With no users at all, creates {@code admin} with a random password and returns that password; otherwise
     * returns empty. Called at start, before the listener opens.
     */
    public synchronized Optional<String> createFirstAdmin() throws IOException {
        refresh();
        if (!users.isEmpty()) {
            return Optional.empty();
        }
        String password = Secrets.password();
        save(List.of(new User("admin", Role.ADMIN.id(), PasswordHash.hash(password.toCharArray()), clock.instant())));
        return Optional.of(password);
    }

    private User existing(String name) throws IOException, AuthException {
        refresh();
        return users.stream().filter(u -> u.name().equals(name)).findFirst().orElseThrow(() ->
                new AuthException(Kind.NOT_FOUND, "no user " + name, "name", "\"" + name + "\" (expected: an existing user)"));
    }

    private void requireAnotherAdmin(String name) throws AuthException {
        if (users.stream().noneMatch(u -> !u.name().equals(name) && u.roleOrViewer() == Role.ADMIN)) {
            throw new AuthException(Kind.CONFLICT, "the last admin cannot be removed or demoted", "name",
                    "\"" + name + "\" is the only admin (expected: make another user admin first)");
        }
    }

    private void replace(User old, User user) throws IOException {
        List<User> next = new ArrayList<>(users);
        next.set(next.indexOf(old), user);
        save(next);
    }

    static void checkName(String name) throws AuthException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AuthException(Kind.INVALID, "invalid user name", "name", (name == null ? "missing" : "\"" + name + "\"")
                    + " (expected: 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit)");
        }
    }

    public static void checkPassword(char[] password) throws AuthException {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            throw new AuthException(Kind.INVALID, "the password is too short", "password",
                    (password == null ? 0 : password.length) + " characters (expected: at least " + MIN_PASSWORD_LENGTH + ")");
        }
    }

    private void refresh() throws IOException {
        FileTime time;
        long size;
        try {
            time = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            users = List.of();
            loadedTime = null;
            loadedSize = -1;
            return;
        }
        if (time.equals(loadedTime) && size == loadedSize) {
            return;
        }
        UsersFile read;
        try {
            read = JSON.readValue(file.toFile(), UsersFile.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            if (loadedTime == null) {
                throw new IOException(file + ": not a users file (" + e.getOriginalMessage() + ")", e);
            }
            // a broken edit while running: keep the users we have until the file is fixed
            log.warn("users file not re-read, keeping the previous users file={} reason=\"{}\"", file, e.getOriginalMessage());
            loadedTime = time;
            loadedSize = size;
            return;
        }
        users = read.users() == null ? List.of() : List.copyOf(read.users());
        if (loadedTime != null) {
            log.info("users file re-read file={} users={}", file, users.size());
        }
        loadedTime = time;
        loadedSize = size;
    }

    private void save(List<User> next) throws IOException {
        SecretFiles.write(file, JSON.writeValueAsBytes(new UsersFile(next)));
        users = List.copyOf(next);
        loadedTime = Files.getLastModifiedTime(file);
        loadedSize = Files.size(file);
    }
}
