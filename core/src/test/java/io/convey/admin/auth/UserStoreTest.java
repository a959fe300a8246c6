package io.convey.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file is the truth: edits by other processes are seen; a broken edit keeps the last good users. */
class UserStoreTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void anotherProcessesEditIsSeenAndABrokenOneKeepsTheLastGoodUsers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.json");
        UserStore daemon = new UserStore(file, clock);
        assertThat(daemon.createFirstAdmin()).isPresent();
        new UserStore(file, clock).add("bob", Role.OPERATOR, "bob's password".toCharArray());
        assertThat(daemon.find("bob")).as("written by another store, as the CLI does").isPresent();

        Files.writeString(file, "{\"users\": [ broken");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(daemon.list()).extracting(UserStore.User::name).containsExactly("admin", "bob");

        assertThatThrownBy(() -> new UserStore(file, clock).list()).isInstanceOf(IOException.class)
                .hasMessageContaining("users.json: not a users file");
    }

    @Test
    void namesAreCheckedAndDuplicatesRefused(@TempDir Path dir) throws Exception {
        UserStore store = new UserStore(dir.resolve("users.json"), clock);
        store.add("ops-team.lead@site", Role.VIEWER, "long enough pw".toCharArray());
        assertThatThrownBy(() -> store.add("ops-team.lead@site", Role.ADMIN, "long enough pw".toCharArray()))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.kind()).isEqualTo(AuthException.Kind.CONFLICT));
        assertThatThrownBy(() -> store.add("bad name", Role.VIEWER, "long enough pw".toCharArray()))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.detail()).startsWith("\"bad name\" (expected: 1-64"));
        assertThat(store.createFirstAdmin()).as("users exist: no first admin").isEmpty();
    }
}
