package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FirewallSetupTest {

    @Test
    void reportsMissingRulesThenInstallsAndRemovesThem() throws Exception {
        try (NetNamespaces namespaces = new NetNamespaces()) {
            String ns = namespaces.create("fw");
            FirewallSetup firewall = new FirewallSetup(List.of("ip", "netns", "exec", ns));
            List<FirewallSetup.Rule> rules = FirewallSetup.rulesFor(List.of(new PassthroughFrontend("web",
                    (Inet4Address) Inet4Address.getByName("10.200.0.10"), 80,
                    List.of(new ServerRef("s1", FrameBuilder.ip("10.200.0.4"), 8080)), new TestScheduler(List.of()))));

            assertThat(firewall.missing(rules)).isEqualTo(rules).hasSize(2);
            assertThat(FirewallSetup.report(rules)).isEqualTo(
                    "iptables -t raw -A PREROUTING -p tcp -d 10.200.0.10 --dport 80 -j DROP\n"
                    + "iptables -t raw -A PREROUTING -p tcp -s 10.200.0.4 --sport 8080 -d 10.200.0.10"
                    + " --dport 32768:65535 -j DROP");

            firewall.install(rules);
            assertThat(firewall.missing(rules)).isEmpty();
            assertThat(namespaces.exec(ns, "iptables", "-t", "raw", "-S", "PREROUTING"))
                    .contains("-A PREROUTING -d 10.200.0.10/32 -p tcp -m tcp --dport 80 -j DROP");
            firewall.install(rules); // idempotent: no duplicates
            assertThat(namespaces.exec(ns, "iptables", "-t", "raw", "-S", "PREROUTING").lines()
                    .filter(l -> l.contains("DROP"))).hasSize(2);

            firewall.remove(rules);
            assertThat(firewall.missing(rules)).isEqualTo(rules);
        }
    }

    @Test
    void ipv6FrontendsGetIp6tablesRules() throws Exception {
        try (NetNamespaces namespaces = new NetNamespaces()) {
            String ns = namespaces.create("fw6");
            FirewallSetup firewall = new FirewallSetup(List.of("ip", "netns", "exec", ns));
            List<FirewallSetup.Rule> rules = FirewallSetup.rulesFor(List.of(new PassthroughFrontend("web6",
                    InetAddress.getByName("fd00:200::10"), 80,
                    List.of(ServerRef.of("s1", InetAddress.getByName("fd00:200::4"), 8080)),
                    new TestScheduler(List.of()))));

            assertThat(firewall.missing(rules)).isEqualTo(rules).hasSize(2);
            firewall.install(rules);
            assertThat(firewall.missing(rules)).isEmpty();
            assertThat(namespaces.exec(ns, "ip6tables", "-t", "raw", "-S", "PREROUTING"))
                    .contains("-A PREROUTING -s fd00:200::4/128 -d fd00:200::10/128 -p tcp -m tcp --sport 8080"
                            + " --dport 32768:65535 -j DROP");
            assertThat(namespaces.exec(ns, "iptables", "-t", "raw", "-S", "PREROUTING")).doesNotContain("DROP");

            firewall.remove(rules);
            assertThat(firewall.missing(rules)).isEqualTo(rules);
        }
    }

    @Test
    void portsOfOneAddressShareAMultiportRuleOfAtMostFifteenPorts() throws Exception {
        List<PassthroughFrontend> frontends = new ArrayList<>();
        for (int port : new int[] {80, 443, 8080}) { // s1 serves all three, s2 two of them
            List<ServerRef> servers = port == 80 ? List.of(server("s1", port)) : List.of(server("s1", port),
                    server("s2", port));
            frontends.add(new PassthroughFrontend("web" + port, (Inet4Address) Inet4Address.getByName("10.200.0.10"),
                    port, servers, new TestScheduler(servers)));
        }
        for (int port = 9000; port < 9016; port++) { // 16 more ports on another VIP: two rules
            List<ServerRef> servers = List.of(server("s2", port));
            frontends.add(new PassthroughFrontend("p" + port, (Inet4Address) Inet4Address.getByName("10.200.0.11"),
                    port, servers, new TestScheduler(servers)));
        }
        List<FirewallSetup.Rule> rules = FirewallSetup.rulesFor(frontends);
        String ports9000 = IntStream.range(9000, 9015).mapToObj(String::valueOf).collect(Collectors.joining(","));
        assertThat(rules).extracting(FirewallSetup.Rule::addCommand).containsExactly(
                "iptables -t raw -A PREROUTING -p tcp -d 10.200.0.10 -m multiport --dports 80,443,8080 -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -d 10.200.0.11 -m multiport --dports " + ports9000 + " -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -d 10.200.0.11 --dport 9015 -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -s 10.200.0.4 -d 10.200.0.10 --dport 32768:65535"
                        + " -m multiport --sports 80,443,8080 -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -s 10.200.0.5 -d 10.200.0.10 --dport 32768:65535"
                        + " -m multiport --sports 443,8080 -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -s 10.200.0.5 -d 10.200.0.11 --dport 32768:65535"
                        + " -m multiport --sports " + ports9000 + " -j DROP",
                "iptables -t raw -A PREROUTING -p tcp -s 10.200.0.5 --sport 9015 -d 10.200.0.11 --dport 32768:65535"
                        + " -j DROP");

        try (NetNamespaces namespaces = new NetNamespaces()) {
            String ns = namespaces.create("fwm");
            FirewallSetup firewall = new FirewallSetup(List.of("ip", "netns", "exec", ns));
            assertThat(firewall.missing(rules)).isEqualTo(rules);
            firewall.install(rules);
            assertThat(firewall.missing(rules)).isEmpty(); // iptables -C finds each multiport rule
            assertThat(namespaces.exec(ns, "iptables", "-t", "raw", "-S", "PREROUTING"))
                    .contains("-A PREROUTING -d 10.200.0.10/32 -p tcp -m multiport --dports 80,443,8080 -j DROP")
                    .contains("-A PREROUTING -s 10.200.0.5/32 -d 10.200.0.10/32 -p tcp -m tcp --dport 32768:65535"
                            + " -m multiport --sports 443,8080 -j DROP");
            firewall.remove(rules);
            assertThat(namespaces.exec(ns, "iptables", "-t", "raw", "-S", "PREROUTING")).doesNotContain("DROP");
        }
    }

    /** s1 at 10.200.0.4, s2 at 10.200.0.5. */
    private static ServerRef server(String name, int port) {
        return new ServerRef(name, FrameBuilder.ip(name.equals("s1") ? "10.200.0.4" : "10.200.0.5"), port);
    }
}
