package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelt key is reported with the key it was probably meant to be, and {@code --strict} fails CI on it. */
class TypoedKeysAreCaughtTest {
    private static final String TYPO = """
            [frontends.f]
            listen_addr = "127.0.0.1:9000"
            backend = "web"
            [backends.web]
            helth_check_interval = 2
            [backends.web.servers.a]
            addr = "127.0.0.1:8080"
            wieght = 5
            """;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void validateWarnsWithASuggestionAndStillAcceptsTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), TYPO);
        Run run = run("--validate", "--config=" + file);
        assertThat(run.code()).isZero();
        assertThat(run.err().lines()).containsExactly(
                file + ":5: warning: backends.web.helth_check_interval: unknown key, ignored (did you mean health_check_interval?)",
                file + ":8: warning: backends.web.servers.a.wieght: unknown key, ignored (did you mean weight?)");
        assertThat(run.out()).isEqualTo(file + ": valid (1 frontends, 1 pools, 1 servers)\n");
    }

    @Test
    void strictValidationExitsTwoOnWarnings() throws Exception {
        Path file = Files.writeString(dir.resolve("config.toml"), TYPO);
        Run run = run("--validate", "--strict", "--config=" + file);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                file + ":5: warning: backends.web.helth_check_interval: unknown key, ignored (did you mean health_check_interval?)",
                file + ":8: warning: backends.web.servers.a.wieght: unknown key, ignored (did you mean weight?)",
                file + ": 2 warning(s); not accepted with --strict");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void strictValidationAcceptsAFileWithoutWarnings() {
        Run run = run("--validate", "--strict", "--config=../samples/original/sample-proxy.toml");
        assertThat(run.code()).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void strictWithoutValidateIsAUsageError() {
        Run run = run("--strict", "--config=../samples/original/sample-proxy.toml");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("convey: --strict applies to --validate only\n");
    }

    @Test
    void problemsPrintInLineOrder() throws Exception {
        // The loader reads pools before frontends and the stats table last; the report follows the file.
        Path file = Files.writeString(dir.resolve("config.toml"), """
                [stats]
                port = "seven"
                [frontends.f]
                listen_addr = "127.0.0.1:9000"
                backend = "web"
                bakend = "web"
                [backends.web]
                rize = 2
                [backends.web.servers.a]
                addr = "127.0.0.1"
                """);
        Run run = run("--validate", "--config=" + file);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                file + ":2: stats.port: \"seven\" (expected: port 0-65535)",
                file + ":6: warning: frontends.f.bakend: unknown key, ignored (did you mean backend?)",
                file + ":8: warning: backends.web.rize: unknown key, ignored (did you mean rise?)",
                file + ":10: backends.web.servers.a.addr: \"127.0.0.1\" (expected: ip:port)",
                file + ": 2 problem(s); the configuration is not valid");
    }
}
