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

class PrintServerSetupCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsEachServersCommandsByItsPoolsMethod() throws Exception {
        Path file = dir.resolve("dsr.toml");
        Files.writeString(file, """
                [frontends.web]
                listen_addr = "192.0.2.10:80"
                backend = "web_pool"
                [frontends.api]
                listen_addr = "192.0.2.11:443"
                backend = "api_pool"
                [backends.web_pool]
                dsr_method = "nat"
                [backends.web_pool.servers.w1]
                addr = "198.51.100.4:8080"
                [backends.web_pool.servers.w2]
                addr = "198.51.100.5:80"
                [backends.api_pool]
                dsr_method = "l2"
                [backends.api_pool.servers.a1]
                addr = "192.0.2.21:443"
                """);
        Run run = run("--print-server-setup", "--config=" + file);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains(
                "# frontend web: VIP 192.0.2.10:80, dsr_method nat\n# server w1 (198.51.100.4:8080)",
                "nft add rule ip convey_dsr out ip saddr 198.51.100.4 tcp sport 8080 ip daddr != 192.0.2.10"
                        + " ip saddr set 192.0.2.10 tcp sport set 80\n",
                "nft add rule ip convey_dsr out ip saddr 198.51.100.5 tcp sport 80 ip daddr != 192.0.2.10"
                        + " ip saddr set 192.0.2.10\n",
                "# frontend api: VIP 192.0.2.11:443, dsr_method l2\n",
                "ip addr replace 192.0.2.11/32 dev lo\n");
    }

    @Test
    void badConfigExitsWithTwo() throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, "[frontends.web]\nlisten_addr = \"nowhere\"\n");
        Run run = run("--print-server-setup", "--config", file.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("problem(s)");
    }
}
