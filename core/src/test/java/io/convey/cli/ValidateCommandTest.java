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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidateCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        address without port     | addr = "10.0.0.1"           | 6: backends.web.servers.a.addr: "10.0.0.1" (expected: ip:port)
        hostname                 | addr = "db.local:80"        | 6: backends.web.servers.a.addr: "db.local:80" (expected: ip:port with a literal IP address; hostnames are not resolved)
        weight above range       | weight = 70000              | 6: backends.web.servers.a.weight: 70000 (expected: 0-65535)
        weight as text           | weight = "heavy"            | 6: backends.web.servers.a.weight: "heavy" (expected: 0-65535)
        unknown state            | state = "off"               | 6: backends.web.servers.a.state: "off" (expected: one of enabled, drain, disabled)
        """)
    void badFilesArePrintedWithFileLineAndKey(String name, String line, String expected) throws Exception {
        Path file = dir.resolve("config.toml");
        String text = """
                [frontends.f]
                listen_addr = "127.0.0.1:9000"
                backend = "web"
                [backends.web]
                [backends.web.servers.a]
                %s
                """.formatted(line);
        if (!line.startsWith("addr")) {
            text += "addr = \"127.0.0.1:80\"\n";
        }
        Files.writeString(file, text);
        Run run = run("--validate", "--config=" + file);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":" + expected);
    }

    @Test
    void packetModeRulesTheConfigAloneDecidesAreCheckedWithTheModeFlagAtTheirLines() throws Exception {
        Path file = dir.resolve("dsr.toml");
        Files.writeString(file, """
                [frontends.web6]
                listen_addr = "[fd00:5::10]:80"
                backend = "pool"
                [backends.pool]
                dsr_method = "l2"
                [backends.pool.servers.s1]
                addr = "10.9.0.4:80"
                """);
        Run dsr = run("-d", "--validate", "--config=" + file);
        assertThat(dsr.code()).isEqualTo(2);
        assertThat(dsr.err()).contains(file + ":2: frontends.web6.listen_addr: \"[fd00:5::10]:80\" (expected: an IPv4"
                + " address for dsr_method l2)")
                .contains(file + ":7: backends.pool.servers.s1.addr: \"10.9.0.4:80\" (expected: an IPv6 address like"
                        + " the VIP of frontend web6")
                .contains("2 problem(s)");
        assertThat(run("--validate", "--config=" + file).code()).as("in proxy mode").isZero();
    }

    @Test
    void everyProblemIsPrintedAndBothConfigSpellingsWork() throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.copy(Path.of("../samples/original/bad.toml"), file);
        Run run = run("--validate", "--config", file.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(":3: frontends.tcp_3000.backend: \"missing\"")
                .contains(":7: backends.whoops.servers: empty").contains("2 problem(s)");
    }

    @Test
    void aValidFileExitsZero() {
        Run run = run("--validate", "--config=../samples/original/sample-proxy.toml");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("valid (2 frontends, 2 pools, 6 servers)");
    }

    @Test
    void startingWithABadConfigExitsNonZeroUnlikeTheOriginal() throws Exception {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, "[frontends.f]\nlisten_addr = \"nonsense\"\nbackend = \"p\"\n");
        Run run = run("--config=" + file);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":2: frontends.f.listen_addr: \"nonsense\" (expected: ip:port)");
    }

    @Test
    void passthroughAndDsrTogetherAreRejected() {
        Run run = run("-p", "-d");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version").out()).isNotBlank();
        assertThat(run("-h").out()).contains("--passthrough").contains("--dsr").contains("--validate").contains("--demo");
    }
}
