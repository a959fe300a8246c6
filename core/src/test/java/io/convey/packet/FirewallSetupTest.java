package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
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
}
