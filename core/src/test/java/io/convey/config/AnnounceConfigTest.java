package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnounceConfigTest {
    private static final String FRONTEND = """
            [frontends.web]
            listen_addr = "198.51.100.10:80"
            backend = "pool"
            [backends.pool.servers.a]
            addr = "10.0.0.11:80"
            """;

    @Test
    void bgpAndVrrpSectionsBecomeTypedSettings() throws Exception {
        ConveyConfig config = load(FRONTEND + """
                [bgp]
                local_as = 4200000001
                router_id = "192.0.2.11"
                hold_time_s = 6
                bfd = true
                communities = ["65001:100", "4200000001:1:2"]
                med_drain = 500
                control_socket = "run/bird.ctl"
                  [bgp.peers.tor1]
                  address = "192.0.2.1"
                  remote_as = 65000
                  [bgp.peers.tor2]
                  address = "2001:db8::1"
                  remote_as = 65000
                  port = 1179
                  multihop = 2
                  local_address = "2001:db8::11"
                [vrrp]
                interface = "eth0"
                virtual_router_id = 51
                priority = 150
                peers = ["192.0.2.12"]
                auth_pass = "s3cret"
                """);
        BgpConfig bgp = config.announce().bgp().orElseThrow();
        assertThat(bgp.localAs()).isEqualTo(4_200_000_001L);
        assertThat(bgp.routerId()).isEqualTo(InetAddress.getByName("192.0.2.11"));
        assertThat(bgp.holdTime()).isEqualTo(Duration.ofSeconds(6));
        assertThat(bgp.bfd()).isTrue();
        assertThat(bgp.communities()).containsExactly("65001:100", "4200000001:1:2");
        assertThat(bgp.medDrain()).hasValue(500);
        assertThat(bgp.controlSocket()).isEqualTo(Path.of("/etc/convey/run/bird.ctl"));
        assertThat(bgp.peers().keySet()).containsExactly("tor1", "tor2");
        assertThat(bgp.peers().get("tor2")).isEqualTo(new BgpPeerConfig("tor2", InetAddress.getByName("2001:db8::1"),
                65000, 1179, 2, java.util.Optional.of(InetAddress.getByName("2001:db8::11"))));
        VrrpConfig vrrp = config.announce().vrrp().orElseThrow();
        assertThat(vrrp.interfaceName()).isEqualTo("eth0");
        assertThat(vrrp.virtualRouterId()).isEqualTo(51);
        assertThat(vrrp.priority()).isEqualTo(150);
        assertThat(vrrp.peers()).containsExactly(InetAddress.getByName("192.0.2.12"));
        assertThat(vrrp.authPass()).hasValue("s3cret");
        assertThat(vrrp.notifyFifo()).isEqualTo(VrrpConfig.DEFAULT_NOTIFY_FIFO);
    }

    @Test
    void withoutTheSectionsNothingIsAnnounced() {
        assertThat(load(FRONTEND).announce()).isEqualTo(AnnounceConfig.NONE);
    }

    @Test
    void everyBadSettingIsReportedWithFileLineAndKey() {
        LoadResult result = ConfigLoader.parse(FRONTEND + """
                [bgp]
                local_as = 0
                router_id = "2001:db8::11"
                hold_time_s = 2
                bfd = "yes"
                communities = ["65001:70000", "x"]
                med_drain = -1
                speed = 3
                  [bgp.peers.tor1]
                  address = "router.example"
                  [bgp.peers."bad name"]
                  address = "192.0.2.1"
                  remote_as = 65000
                [vrrp]
                virtual_router_id = 256
                priority = 255
                peers = ["192.0.2.300"]
                auth_pass = "much-too-long"
                """, "a.toml", Path.of("/etc/convey"));
        assertThat(result.ok()).isFalse();
        assertThat(result.problems().stream().map(Problem::toString)).contains(
                "a.toml:7: bgp.local_as: 0 (expected: 1-4294967295)",
                "a.toml:8: bgp.router_id: \"2001:db8::11\" (expected: an IPv4 address, e.g. \"192.0.2.1\", as BGP identifiers are)",
                "a.toml:9: bgp.hold_time_s: 2 (expected: 0 or 3-65535, RFC 4271)",
                "a.toml:10: bgp.bfd: \"yes\" (expected: true or false)",
                "a.toml:11: bgp.communities: \"65001:70000\" (expected: \"asn:value\" with 16-bit parts, or a large community \"asn:value:value\" with 32-bit parts)",
                "a.toml:11: bgp.communities: \"x\" (expected: \"asn:value\" with 16-bit parts, or a large community \"asn:value:value\" with 32-bit parts)",
                "a.toml:12: bgp.med_drain: -1 (expected: 0-4294967295)",
                "a.toml:13: warning: bgp.speed: unknown key, ignored (expected one of: bfd, communities, control_socket, hold_time_s, local_as, med_drain, peers, router_id)",
                "a.toml:15: bgp.peers.tor1.address: \"router.example\" (expected: an IP address such as \"192.0.2.1\" or \"2001:db8::1\"; hostnames are not resolved)",
                "a.toml:14: bgp.peers.tor1.remote_as: missing (expected: 1-4294967295)",
                "a.toml:16: bgp.peers.\"bad name\": \"bad name\" (expected: a name of letters, digits and _, at most 32, as BIRD protocol names are)",
                "a.toml:19: vrrp.interface: missing (expected: a string)",
                "a.toml:20: vrrp.virtual_router_id: 256 (expected: 1-255)",
                "a.toml:21: vrrp.priority: 255 (expected: 1-254)",
                "a.toml:22: vrrp.peers: \"192.0.2.300\" (expected: an IP address)",
                "a.toml:23: vrrp.auth_pass: (hidden) (expected: 1-8 printable characters, no spaces; VRRPv2 keeps only 8)");
        assertThat(result.problems().stream().map(Problem::toString).filter(p -> p.contains("much-too-long"))).isEmpty();
    }

    @Test
    void aBgpSectionNeedsAPeer() {
        LoadResult result = ConfigLoader.parse(FRONTEND + """
                [bgp]
                local_as = 65001
                router_id = "192.0.2.11"
                """, "a.toml");
        assertThat(result.errors().stream().map(Problem::toString).toList()).isEqualTo(List.of(
                "a.toml:6: bgp.peers: missing (expected: at least one [bgp.peers.<name>] with address and remote_as)"));
    }

    private static ConveyConfig load(String text) {
        LoadResult result = ConfigLoader.parse(text, "a.toml", Path.of("/etc/convey"));
        assertThat(result.problems()).isEmpty();
        return result.config().orElseThrow();
    }
}
