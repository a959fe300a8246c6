package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DsrServerSetupTest {
    static final InetSocketAddress VIP = new InetSocketAddress("10.0.0.10", 80);

    static List<String> commandsOnly(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void natRewritesSourceAddressAndPortWhenTheServerListensElsewhere() {
        List<String> lines = DsrServerSetup.commands(Delivery.DSR_NAT, VIP, new InetSocketAddress("10.0.0.4", 8080));
        assertThat(commandsOnly(lines)).containsExactly(
                "nft add table ip convey_dsr",
                "nft add chain ip convey_dsr out '{ type filter hook output priority raw; policy accept; }'",
                "nft add rule ip convey_dsr out ip saddr 10.0.0.4 tcp sport 8080 ip daddr != 10.0.0.10"
                        + " ip saddr set 10.0.0.10 tcp sport set 80");
        assertThat(lines).anyMatch(l -> l.startsWith("# no tc alternative") && l.contains("8080"));
    }

    @Test
    void natOnTheVipsPortRewritesTheAddressOnlyAndOffersTheTcForm() {
        List<String> lines = DsrServerSetup.commands(Delivery.DSR_NAT, VIP, new InetSocketAddress("10.0.0.4", 80));
        assertThat(commandsOnly(lines)).last().isEqualTo(
                "nft add rule ip convey_dsr out ip saddr 10.0.0.4 tcp sport 80 ip daddr != 10.0.0.10"
                        + " ip saddr set 10.0.0.10");
        assertThat(lines).contains(
                "#   tc qdisc add dev <IF> root handle 10: htb",
                "#   tc filter add dev <IF> parent 10: protocol ip prio 1 u32 match ip src 10.0.0.4/32"
                        + " match ip sport 80 0xffff match ip dst 10.0.0.10/32 action ok",
                "#   tc filter add dev <IF> parent 10: protocol ip prio 10 u32 match ip src 10.0.0.4/32"
                        + " match ip sport 80 0xffff action nat egress 10.0.0.4/32 10.0.0.10");
    }

    @Test
    void l2PutsTheVipOnLoopbackWithoutArp() {
        List<String> lines = DsrServerSetup.commands(Delivery.DSR_L2, VIP, new InetSocketAddress("10.0.0.4", 80));
        assertThat(commandsOnly(lines)).containsExactly(
                "sysctl -w net.ipv4.conf.all.arp_ignore=1",
                "sysctl -w net.ipv4.conf.all.arp_announce=2",
                "ip addr replace 10.0.0.10/32 dev lo");
        assertThat(lines).noneMatch(l -> l.contains("listen on"));
    }

    @Test
    void l2WarnsWhenTheConfiguredPortIsNotTheVipsPort() {
        List<String> lines = DsrServerSetup.commands(Delivery.DSR_L2, VIP, new InetSocketAddress("10.0.0.4", 8080));
        assertThat(lines).last().asString().startsWith("# dsr_method l2 keeps the port: the service must listen on 80");
    }

    @Test
    void ipipDecapsulatesOnTunl0AndClampsTheMss() {
        List<String> lines = DsrServerSetup.commands(Delivery.DSR_IPIP, VIP, new InetSocketAddress("10.0.0.4", 80));
        assertThat(commandsOnly(lines)).containsExactly(
                "modprobe ipip",
                "ip link set tunl0 up",
                "sysctl -w net.ipv4.conf.tunl0.rp_filter=0",
                "sysctl -w net.ipv4.conf.all.rp_filter=0",
                "sysctl -w net.ipv4.conf.all.arp_ignore=1",
                "sysctl -w net.ipv4.conf.all.arp_announce=2",
                "ip addr replace 10.0.0.10/32 dev lo",
                "nft add table ip convey_dsr",
                "nft add chain ip convey_dsr out '{ type filter hook output priority raw; policy accept; }'",
                "nft add rule ip convey_dsr out ip saddr 10.0.0.10 tcp sport 80"
                        + " 'tcp flags & (syn | ack) == syn | ack' tcp option maxseg size set 1440");
    }

    @Test
    void scriptHasOneSectionPerServer() {
        Map<String, InetSocketAddress> servers = new LinkedHashMap<>();
        servers.put("s1", new InetSocketAddress("10.0.0.4", 80));
        servers.put("s2", new InetSocketAddress("10.0.0.5", 80));
        String script = DsrServerSetup.script("web", Delivery.DSR_L2, VIP, servers);
        assertThat(script).startsWith("# frontend web: VIP 10.0.0.10:80, dsr_method l2\n# server s1 (10.0.0.4:80)");
        assertThat(script).contains("# server s2 (10.0.0.5:80): run as root on the server\n");
        assertThat(script.lines().filter(l -> l.equals("ip addr replace 10.0.0.10/32 dev lo"))).hasSize(2);
    }

    @Test
    void natOverIpv6UsesNftsIp6FamilyAndNoTc() {
        InetSocketAddress vip = new InetSocketAddress("fd00:7::10", 80);
        List<String> lines = DsrServerSetup.commands(Delivery.DSR_NAT, vip, new InetSocketAddress("fd00:7::4", 8080));
        assertThat(commandsOnly(lines)).containsExactly(
                "nft add table ip6 convey_dsr",
                "nft add chain ip6 convey_dsr out '{ type filter hook output priority raw; policy accept; }'",
                "nft add rule ip6 convey_dsr out ip6 saddr fd00:7::4 tcp sport 8080 ip6 daddr != fd00:7::10"
                        + " ip6 saddr set fd00:7::10 tcp sport set 80");
        assertThat(lines).noneMatch(l -> l.contains("tc filter"));
        String script = DsrServerSetup.script("web6", Delivery.DSR_NAT, vip,
                Map.of("s1", new InetSocketAddress("fd00:7::4", 8080)));
        assertThat(script).startsWith("# frontend web6: VIP [fd00:7::10]:80, dsr_method nat\n"
                + "# server s1 ([fd00:7::4]:8080): run as root on the server\n");
        assertThatThrownBy(() -> DsrServerSetup.commands(Delivery.DSR_NAT, vip, new InetSocketAddress("10.0.0.4", 80)))
                .hasMessageEndingWith("(expected: an IPv6 address, like the VIP)");
    }

    @Test
    void rejectsPassthroughAndIpv6() {
        assertThatThrownBy(() -> DsrServerSetup.commands(Delivery.PASSTHROUGH, VIP, VIP))
                .hasMessage("method: passthrough (expected: nat, l2 or ipip)");
        assertThatThrownBy(() -> DsrServerSetup.commands(Delivery.DSR_L2, new InetSocketAddress("::1", 80), VIP))
                .hasMessageStartingWith("vip: ").hasMessageEndingWith("(expected: an IPv4 address)");
    }

    @Test
    void aUdpFrontendsNatRuleRewritesTheUdpSourcePortAndIpipClampsNoMss() {
        var vip = new java.net.InetSocketAddress("10.0.0.10", 53);
        var server = new java.net.InetSocketAddress("10.0.1.1", 5353);
        Transport udp = Transport.udp(java.time.Duration.ofSeconds(30));
        org.assertj.core.api.Assertions.assertThat(DsrServerSetup.commands(Delivery.DSR_NAT, vip, server, udp))
                .contains("nft add rule ip convey_dsr out ip saddr 10.0.1.1 udp sport 5353 ip daddr != 10.0.0.10"
                        + " ip saddr set 10.0.0.10 udp sport set 53");
        org.assertj.core.api.Assertions.assertThat(DsrServerSetup.commands(Delivery.DSR_IPIP, vip,
                new java.net.InetSocketAddress("10.0.1.1", 53), udp)).noneMatch(l -> l.contains("maxseg"));
    }
}
