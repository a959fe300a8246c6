package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.packet.Delivery;
import io.convey.packet.FirewallSetup;
import io.convey.packet.FlowScheduler;
import io.convey.packet.NetNamespaces;
import io.convey.packet.PassthroughFrontend;
import io.convey.packet.ReceiveOffloads;
import io.convey.packet.ServerRef;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code manage_firewall}, a reload that adds a frontend on a VIP installs the grouped rule and removes the one
 * it replaces, and exit removes what is left: the chain holds the rules the running frontends need, no more.
 */
class ManagedFirewallFollowsTheFrontendsTest {

    @Test
    void aReloadReplacesTheRulesItGroupsAndExitRemovesTheRest() throws Exception {
        try (NetNamespaces namespaces = new NetNamespaces()) {
            String ns = namespaces.create("fwr");
            List<String> prefix = List.of("ip", "netns", "exec", ns);
            PacketHostSetup setup = new PacketHostSetup(new FirewallSetup(prefix), new ReceiveOffloads(prefix));
            setup.start("lo", true, false);

            setup.checkFirewall(List.of(frontend("web", 80)));
            assertThat(drops(namespaces, ns)).containsExactly(
                    "-A PREROUTING -d 10.200.0.10/32 -p tcp -m tcp --dport 80 -j DROP",
                    "-A PREROUTING -s 10.200.0.4/32 -d 10.200.0.10/32 -p tcp -m tcp --sport 8080 --dport 32768:65535"
                            + " -j DROP");

            setup.checkFirewall(List.of(frontend("web", 80), frontend("tls", 443)));
            assertThat(drops(namespaces, ns)).containsExactly(
                    "-A PREROUTING -d 10.200.0.10/32 -p tcp -m multiport --dports 80,443 -j DROP",
                    "-A PREROUTING -s 10.200.0.4/32 -d 10.200.0.10/32 -p tcp -m tcp --dport 32768:65535"
                            + " -m multiport --sports 8080,8443 -j DROP");

            setup.checkFirewall(List.of(frontend("tls", 443)));
            assertThat(drops(namespaces, ns)).containsExactly(
                    "-A PREROUTING -d 10.200.0.10/32 -p tcp -m tcp --dport 443 -j DROP",
                    "-A PREROUTING -s 10.200.0.4/32 -d 10.200.0.10/32 -p tcp -m tcp --sport 8443 --dport 32768:65535"
                            + " -j DROP");

            setup.undo();
            assertThat(drops(namespaces, ns)).isEmpty();
        }
    }

    /** A frontend on VIP 10.200.0.10 to one server, 10.200.0.4, at the port plus 8000. */
    private static PassthroughFrontend frontend(String name, int port) throws Exception {
        ServerRef server = ServerRef.of("s1", InetAddress.getByName("10.200.0.4"), port + 8000);
        FlowScheduler scheduler = new FlowScheduler() {
            @Override
            public ServerRef pick(int clientIp, int clientPort) {
                return server;
            }

            @Override
            public boolean isUp(ServerRef s) {
                return true;
            }
        };
        return new PassthroughFrontend(name, InetAddress.getByName("10.200.0.10"), port, List.of(server), scheduler,
                Delivery.PASSTHROUGH);
    }

    private static List<String> drops(NetNamespaces namespaces, String ns) throws Exception {
        return namespaces.exec(ns, "iptables", "-t", "raw", "-S", "PREROUTING").lines()
                .filter(l -> l.contains("DROP")).toList();
    }
}
