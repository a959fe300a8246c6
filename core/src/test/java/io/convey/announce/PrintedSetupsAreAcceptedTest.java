package io.convey.announce;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BIRD and keepalived configurations Convey prints are accepted by the real BIRD 2 and keepalived parsers. */
class PrintedSetupsAreAcceptedTest {
    private static final String FRONTENDS = """
            [frontends.web]
            listen_addr = "198.51.100.10:80"
            backend = "pool"
            [frontends.tls]
            listen_addr = "198.51.100.10:443"
            backend = "pool"
            [frontends.v6]
            listen_addr = "[2001:db8:10::10]:80"
            backend = "pool"
            [frontends.local]
            listen_addr = "127.0.0.1:8080"
            backend = "pool"
            [backends.pool.servers.a]
            addr = "10.0.0.11:80"
            """;

    @TempDir
    Path dir;

    @Test
    void birdParsesTheBgpSetupWithBfdCommunitiesDrainMedAndBothFamilies() throws Exception {
        String bird = BirdSetup.config(config(FRONTENDS + """
                [bgp]
                local_as = 65001
                router_id = "192.0.2.11"
                hold_time_s = 6
                bfd = true
                communities = ["65001:100", "65001:7:8"]
                med_drain = 1000
                  [bgp.peers.tor1]
                  address = "192.0.2.1"
                  remote_as = 65000
                  [bgp.peers.tor2]
                  address = "2001:db8::1"
                  remote_as = 65000
                  multihop = 2
                  local_address = "2001:db8::11"
                """));
        assertThat(bird).contains("router id 192.0.2.11;", "protocol bgp peer_tor1 {", "neighbor 192.0.2.1 port 179 as 65000;",
                "neighbor 2001:db8::1 port 179 as 65000;", "multihop 2;", "local 2001:db8::11;", "hold time 6;", "bfd on;",
                "# VIPs now: 198.51.100.10/32", "# VIPs now: 2001:db8:10::10/128",
                "if proto = \"convey_vips\" && net.len = 32 then", "if proto = \"convey_vips\" && net.len = 128 then",
                "bgp_community.add((65001, 100));", "bgp_large_community.add((65001, 7, 8));",
                "if ifname = \"convey-drain\" then bgp_med = 1000;", "interface \"convey-vip\", \"convey-drain\";");
        assertThat(bird).as("loopback frontends are not VIPs").doesNotContain("127.0.0.1");
        assertThat(run("bird", "-p", "-c", write("bird.conf", bird))).isEqualTo(0);
    }

    @Test
    void bfdOnAMultihopSessionNeedsItsLocalAddress() {
        var result = ConfigLoader.parse(FRONTENDS + """
                [bgp]
                local_as = 65001
                router_id = "192.0.2.11"
                bfd = true
                  [bgp.peers.far]
                  address = "203.0.113.1"
                  remote_as = 65000
                  multihop = 3
                """, "a.toml");
        assertThat(result.errors()).extracting(Object::toString).containsExactly("a.toml:19: bgp.peers.far.local_address:"
                + " missing (expected: the address the session leaves from, which BFD needs on a multihop session)");
    }

    @Test
    void birdParsesTheMinimalSetup() throws Exception {
        String bird = BirdSetup.config(config(FRONTENDS + """
                [bgp]
                local_as = 65001
                router_id = "192.0.2.11"
                  [bgp.peers.tor1]
                  address = "192.0.2.1"
                  remote_as = 65001
                """));
        assertThat(bird).doesNotContain("bfd", "bgp_med", "bgp_community");
        assertThat(run("bird", "-p", "-c", write("bird.conf", bird))).isEqualTo(0);
    }

    @Test
    void birdRefusesABrokenConfigSoTheCheckAboveMeansSomething() throws Exception {
        assertThat(run("bird", "-p", "-c", write("bad.conf", "router id 192.0.2.11;\nprotocol bgp x { nonsense; }\n")))
                .isNotEqualTo(0);
    }

    @Test
    void keepalivedChecksTheVrrpConfig() throws Exception {
        String keepalived = KeepalivedSetup.config(config("""
                [frontends.web]
                listen_addr = "198.51.100.10:80"
                backend = "pool"
                [backends.pool.servers.a]
                addr = "10.0.0.11:80"
                [vrrp]
                interface = "eth0"
                virtual_router_id = 51
                priority = 150
                peers = ["192.0.2.12"]
                auth_pass = "s3cret"
                """), new InetSocketAddress("0.0.0.0", 7000), java.util.Optional.of(Path.of("/etc/convey/admin-cert.pem")));
        assertThat(keepalived).contains("virtual_router_id 51", "priority 150", "192.0.2.12",
                "198.51.100.10/32 dev eth0", "vrrp_notify_fifo /run/convey/vrrp.fifo",
                "--cacert /etc/convey/admin-cert.pem https://127.0.0.1:7000/health", "track_script", "auth_pass s3cret");
        // keepalived checks that the interface exists: check in a namespace of our own that has an eth0.
        String ns = "cvy-ka-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", ns);
        try {
            assertThat(run("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1")).isZero();
            assertThat(run("ip", "netns", "exec", ns, "keepalived", "-t", "-l", "-f",
                    write("keepalived.conf", keepalived))).isEqualTo(0);
            assertThat(run("ip", "netns", "exec", ns, "keepalived", "-t", "-l", "-f", write("bad.conf",
                    keepalived.replace("virtual_router_id 51", "virtual_router_id 300"))))
                    .as("keepalived's check does refuse a bad file").isNotEqualTo(0);
        } finally {
            run("ip", "netns", "delete", ns);
        }
    }

    private ConveyConfig config(String toml) {
        return ConfigLoader.parse(toml, "a.toml").config().orElseThrow();
    }

    private String write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.println(String.join(" ", command) + " -> " + p.exitValue() + "\n" + out);
        return p.exitValue();
    }
}
