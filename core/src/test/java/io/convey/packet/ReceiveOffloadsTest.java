package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ethtool's view of a veth's merging offloads, in a namespace the test creates (and removes). */
class ReceiveOffloadsTest {

    @Test
    void findsTurnsOffAndRestoresGro() throws Exception {
        try (NetNamespaces namespaces = new NetNamespaces()) {
            String ns = namespaces.create("gro");
            namespaces.exec(ns, "ip", "link", "add", "va", "type", "veth", "peer", "name", "vb");
            namespaces.exec(ns, "ethtool", "-K", "va", "gro", "on");
            ReceiveOffloads offloads = new ReceiveOffloads(List.of("ip", "netns", "exec", ns));

            assertThat(offloads.enabled("va")).containsExactly("gro"); // veth's LRO is "off [fixed]"
            offloads.set("va", List.of("gro"), false);
            assertThat(offloads.enabled("va")).isEmpty();
            offloads.set("va", List.of("gro"), true);
            assertThat(offloads.enabled("va")).containsExactly("gro");

            assertThat(ReceiveOffloads.offCommand("va", List.of("gro", "lro"))).isEqualTo("ethtool -K va gro off lro off");
            assertThatThrownBy(() -> offloads.enabled("nosuch0")).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("ethtool -k nosuch0 exit status: ");
        }
    }
}
