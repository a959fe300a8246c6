package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.Main;
import io.convey.testing.Tcp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a first-time operator sees for the common mistakes: one line each, no Java exception names. */
class CommandLineMessagesTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shortVersionFlagPrintsTheVersionAsTheOriginalDid() {
        for (String flag : new String[] {"-v", "--version"}) {
            Run run = run(flag);
            assertThat(run.code()).isZero();
            assertThat(run.out()).isEqualTo(Main.version() + "\n");
            assertThat(run.err()).isEmpty();
        }
        assertThat(run("-h").out()).contains("-v, --version").contains("-h, --help").contains("--strict");
    }

    @Test
    void aMissingDefaultConfigSaysWhereItLookedAndWhatToDo() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(cwd.resolve("config.toml")).doesNotExist();
        for (String[] args : new String[][] {{}, {"--validate"}, {"-p"}}) {
            Run run = run(args);
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("config.toml: not found in " + cwd
                    + " (expected: a config file there, --config=<file>, or --demo to try a demo appliance)\n");
        }
    }

    @Test
    void aMissingNamedConfigIsOneLine() {
        Path file = dir.resolve("nowhere.toml");
        assertThat(run("--config=" + file).err()).isEqualTo(file + ": not found (expected: a readable TOML file)\n");
        assertThat(run("--validate", "--config=" + file).err())
                .isEqualTo(file + ": not found (expected: a readable TOML file)\n");
    }

    @Test
    void aDirectoryInsteadOfAFileIsOneLine() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("conf.d"));
        Run start = run("--config=" + folder);
        assertThat(start.code()).isEqualTo(2);
        assertThat(start.err()).isEqualTo(folder + ": a directory (expected: a readable TOML file)\n");
        Run validate = run("--validate", "--config=" + folder);
        assertThat(validate.code()).isEqualTo(2);
        assertThat(validate.err()).isEqualTo(folder + ": a directory (expected: a readable TOML file)\n");
    }

    @Test
    void aDanglingLinkIsOneLineNamingItsTarget() throws Exception {
        // Tests run as root, which reads a chmod 000 file; a link to nothing is unreadable for everyone.
        Path link = Files.createSymbolicLink(dir.resolve("config.toml"), dir.resolve("gone.toml"));
        Run run = run("--config=" + link);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(link + ": a link to " + dir.resolve("gone.toml")
                + ", which does not exist (expected: a readable TOML file)\n");
    }

    @Test
    void aFrontendPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = config("127.0.0.1:" + taken.getLocalPort(), "127.0.0.1:0");
            Run run = run("--config=" + file);
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).isEqualTo(file + ":2: frontends.f.listen_addr: \"127.0.0.1:" + taken.getLocalPort()
                    + "\" cannot be bound (address already in use)\n");
        }
    }

    @Test
    void anAdminPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int frontendPort = Tcp.freeLoopbackPort(); // a frontend's port must not be 0
            Path file = config("127.0.0.1:" + frontendPort, "127.0.0.1:" + taken.getLocalPort());
            Run run = run("--config=" + file);
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).isEqualTo(file + ": admin.listen_addr: \"127.0.0.1:" + taken.getLocalPort()
                    + "\" cannot be bound (address already in use)\n");
            try (ServerSocket again = new ServerSocket()) { // the frontend was released on the way out
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), frontendPort));
            }
        }
    }

    private Path config(String frontend, String admin) throws Exception {
        return Files.writeString(dir.resolve("config.toml"), """
                [frontends.f]
                listen_addr = "%s"
                backend = "p"
                [backends.p.servers.a]
                addr = "127.0.0.1:9"
                [admin]
                listen_addr = "%s"
                tls = "off"
                """.formatted(frontend, admin));
    }
}
