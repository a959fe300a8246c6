package io.convey.cli;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import io.convey.Main;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convey users add|passwd|remove|list} against a config's users file, and a running daemon seeing the change. */
class UsersCommandTest {

    private record Run(int exit, String out, String err) {}

    private static Run convey(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String config(Path dir) throws Exception {
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p.servers.a]
                addr = "127.0.0.1:9"
                [stats]
                port = "0"
                [admin]
                users_file = "etc/users.json"
                """.formatted(Tcp.freeLoopbackPort()));
        return "--config=" + config;
    }

    @Test
    void addListPasswdAndRemoveEditTheUsersFile(@TempDir Path dir) throws Exception {
        String config = config(dir);
        Run added = convey("first password\n", "users", "add", "alice", "--role=admin", "--password-stdin", config);
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("user alice added (admin)");
        Path users = dir.resolve("etc/users.json");
        assertThat(Files.getPosixFilePermissions(users)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
        assertThat(Files.readString(users)).contains("alice").contains("$argon2id$").doesNotContain("first password");

        assertThat(convey("second user pw\n", "users", "add", "bob", "--role=viewer", "--password-stdin", config).exit())
                .isZero();
        Run list = convey("", "users", "list", config);
        assertThat(list.out()).containsPattern("alice\\s+admin").containsPattern("bob\\s+viewer");

        Run duplicate = convey("whatever pw 1\n", "users", "add", "bob", "--role=viewer", "--password-stdin", config);
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains("the user exists");
        Run shortPassword = convey("short\n", "users", "passwd", "bob", "--password-stdin", config);
        assertThat(shortPassword.exit()).isEqualTo(2);
        assertThat(shortPassword.err()).contains("password: 5 characters (expected: at least 10)");
        Run badRole = convey("long password\n", "users", "add", "carol", "--role=root", "--password-stdin", config);
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("--role: \"root\" (expected one of: viewer, operator, admin)");
        Run noConsole = convey("", "users", "passwd", "bob", config);
        assertThat(noConsole.exit()).isEqualTo(2);
        assertThat(noConsole.err()).contains("no console to ask for the password (expected: a terminal, or --password-stdin)");

        String before = Files.readString(users);
        assertThat(convey("a new password\n", "users", "passwd", "bob", "--password-stdin", config).exit()).isZero();
        assertThat(Files.readString(users)).isNotEqualTo(before);
        Run lastAdmin = convey("", "users", "remove", "alice", config);
        assertThat(lastAdmin.exit()).isEqualTo(2);
        assertThat(lastAdmin.err()).contains("the last admin cannot be removed or demoted");
        assertThat(convey("", "users", "remove", "bob", config).exit()).isZero();
        assertThat(convey("", "users", "list", config).out()).doesNotContain("bob");
    }

    @Test
    void aRunningDaemonPicksUpAUserAddedOnTheCommandLine(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, """
                        [frontends.f]
                        listen_addr = "127.0.0.1:%d"
                        backend = "p"
                        [backends.p.servers.a]
                        addr = "%s"
                        [stats]
                        port = "0"
                        """.formatted(Tcp.freeLoopbackPort(), a.addr()))) {
            Run added = convey("operator password\n", "users", "add", "olga", "--role=operator", "--password-stdin",
                    "--config=" + daemon.config());
            assertThat(added.exit()).as(added.err()).isZero();
            String token = daemon.login("olga", "operator password", "olga's script");
            var response = daemon.send("PATCH", "/api/v1/backends/p/servers/a", token, "{\"weight\": 3}",
                    "Content-Type", "application/json");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(convey("", "users", "remove", "olga", "--config=" + daemon.config()).exit()).isZero();
            assertThat(daemon.send("GET", "/api/v1/session", token, null).statusCode()).isEqualTo(401);
        }
    }
}
