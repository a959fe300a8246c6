package io.convey.announce;

import io.convey.packet.NetNamespaces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BIRD control socket client against a real BIRD 2 in a namespace of its own. */
class BirdControlReadsTheProtocolTableTest {

    @Test
    void everyBgpSessionIsListedWithItsState(@TempDir Path dir) throws Exception {
        try (NetNamespaces lab = new NetNamespaces()) {
            String ns = lab.create("bird");
            Path conf = dir.resolve("bird.conf");
            Files.writeString(conf, """
                    router id 10.1.0.11;
                    protocol device { }
                    protocol bgp peer_a { local as 65001; neighbor 10.1.0.1 as 65000; ipv4 { import none; export none; }; }
                    protocol bgp peer_b { local as 65001; neighbor 10.1.0.2 as 65000; ipv4 { import none; export none; }; }
                    """);
            Path socket = dir.resolve("bird.ctl");
            lab.spawn(ns, dir.resolve("bird.log"), "bird", "-f", "-c", conf.toString(), "-s", socket.toString());
            BirdControl bird = new BirdControl(socket);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                    assertThat(bird.bgpSessions()).extracting(BirdControl.Protocol::name)
                            .containsExactly("peer_a", "peer_b"));
            assertThat(bird.protocols()).extracting(BirdControl.Protocol::proto).containsExactly("Device", "BGP", "BGP");
            assertThat(bird.bgpSessions()).allSatisfy(p -> {
                assertThat(p.state()).isEqualTo("start"); // no neighbour answers here
                assertThat(p.info()).isIn("Idle", "Connect", "Active");
            });
        }
    }

    @Test
    void aRowIsSplitIntoItsColumns() {
        assertThat(BirdControl.parse("peer_a     BGP        ---        up     2026-12-04 14:12:16  Established   "))
                .isEqualTo(new BirdControl.Protocol("peer_a", "BGP", "up", "2026-12-04 14:12:16", "Established"));
        assertThat(BirdControl.parse("peer_a     BGP        ---        start  14:12:16.197  Idle          "))
                .isEqualTo(new BirdControl.Protocol("peer_a", "BGP", "start", "14:12:16.197", "Idle"));
    }
}
