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

class PrintAnnounceSetupCommandsTest {
    private static final String APPLIANCE = """
            [frontends.web]
            listen_addr = "198.51.100.10:80"
            backend = "pool"
            [backends.pool.servers.a]
            addr = "10.0.0.11:80"
            [admin]
            listen_addr = "127.0.0.1:7443"
            """;

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String toml, String option) throws Exception {
        Path file = dir.resolve("convey.toml");
        Files.writeString(file, toml);
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), option, "--config=" + file);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsBirdsConfigForTheBgpSection() throws Exception {
        Run run = run(APPLIANCE + """
                [bgp]
                local_as = 65001
                router_id = "192.0.2.11"
                  [bgp.peers.tor1]
                  address = "192.0.2.1"
                  remote_as = 65000
                """, "--print-bgp-setup");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("router id 192.0.2.11;", "protocol bgp peer_tor1 {", "198.51.100.10/32");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void printsKeepalivedsConfigWithTheAdminAddressAsItsHealthCheck() throws Exception {
        Run run = run(APPLIANCE + """
                [vrrp]
                interface = "eth0"
                virtual_router_id = 7
                """, "--print-keepalived");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("virtual_router_id 7", "198.51.100.10/32 dev eth0",
                "--cacert " + dir.resolve(".convey-state").resolve("admin-cert.pem") + " https://127.0.0.1:7443/health");
    }

    @Test
    void aMissingSectionOrABrokenFileExitsTwoWithTheReason() throws Exception {
        Run noBgp = run(APPLIANCE, "--print-bgp-setup");
        assertThat(noBgp.code()).isEqualTo(2);
        assertThat(noBgp.err()).contains("bgp: missing (expected: a [bgp] section with peers)");
        assertThat(noBgp.out()).isEmpty();
        Run broken = run(APPLIANCE + "[vrrp]\nvirtual_router_id = 0\n", "--print-keepalived");
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains("convey.toml:8: vrrp.interface: missing (expected: a string)",
                "vrrp.virtual_router_id: 0 (expected: 1-255)");
    }
}
