package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 100 MiB down and 100 MiB up through the VIP, intact (CRC-32 compared on the receiving side), in both topologies:
 * every offload at the kernel's default on every veth and bridge port (senders hand the bridge 64 KB super-frames,
 * as in containers and VMs), and every offload off (MTU-sized frames, as from a physical NIC without GRO). Over the
 * ring and libpcap, IPv4 and IPv6, passthrough and DSR nat: one lab per combination, one transfer each way. No frame
 * is too big, no checksum bad, no send fails; super-frames are forwarded whole where the ring can send them (IPv4,
 * sent as frames) and segmented in user space where it cannot (libpcap, IPv6's routed sends).
 */
class TransfersIntactNamespaceTest {
    private static final Logger log = LoggerFactory.getLogger(TransfersIntactNamespaceTest.class);
    private static final long SIZE = 100L * 1024 * 1024;

    record Combination(boolean defaultOffloads, PassthroughSettings.Capture capture, boolean ipv6, Delivery delivery) {
        @Override
        public String toString() {
            return (defaultOffloads ? "default offloads" : "offloads off") + ", " + capture.name().toLowerCase()
                    + ", " + (ipv6 ? "IPv6" : "IPv4") + ", " + delivery.id();
        }
    }

    static Stream<Combination> combinations() {
        List<Combination> all = new ArrayList<>();
        for (boolean defaults : new boolean[] {true, false}) {
            for (PassthroughSettings.Capture capture : List.of(PassthroughSettings.Capture.RING,
                    PassthroughSettings.Capture.PCAP)) {
                for (boolean ipv6 : new boolean[] {false, true}) {
                    for (Delivery delivery : List.of(Delivery.PASSTHROUGH, Delivery.DSR_NAT)) {
                        all.add(new Combination(defaults, capture, ipv6, delivery));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void downloadsAndUploadsArriveIntact(Combination c) throws Exception {
        PacketLab configured = new PacketLab(c.delivery()).capture(c.capture()).clientThreads(2);
        if (c.ipv6()) {
            configured.ipv6();
        }
        if (c.defaultOffloads()) {
            configured.defaultOffloads();
        }
        try (PacketLab lab = configured.start()) {
            if (c.capture() == PassthroughSettings.Capture.RING && !c.ipv6()) {
                // a short exchange until the balancer's kernel knows the servers' MACs (read once a second): frames
                // then go straight to the device, the path that takes super-frames whole
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    lab.get("/bytes/1000");
                    lab.upload(1000);
                    return lab.plane.counters().sentAsFrames() > 0;
                });
            }
            long start = System.nanoTime();
            PacketLab.Response down = lab.get("/bytes/" + SIZE);
            double downSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(down.bytes()).isEqualTo(SIZE);
            assertThat(down.crc()).isEqualTo(PacketLab.expectedCrc(SIZE));

            start = System.nanoTime();
            PacketLab.Response up = lab.upload(SIZE);
            double upSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(up.bytes()).as("bytes the server received").isEqualTo(SIZE);
            assertThat(up.crc()).as("CRC-32 of what the server received").isEqualTo(PacketLab.expectedCrc(SIZE));

            PassthroughCounters counters = lab.plane.counters();
            log.info("{}: 100 MiB down {} MB/s, up {} MB/s; counters {}", c, String.format("%.1f", SIZE / downSeconds / 1e6),
                    String.format("%.1f", SIZE / upSeconds / 1e6), counters);
            assertThat(counters.dropped(DropReason.TOO_BIG)).isZero();
            assertThat(counters.dropped(DropReason.BAD_CHECKSUM)).isZero();
            assertThat(counters.dropped(DropReason.MALFORMED)).isZero();
            assertThat(counters.dropped(DropReason.SEND_FAILED)).isZero();
            assertThat(counters.captureStatisticsFailed()).isZero();
            if (!c.defaultOffloads()) {
                assertThat(counters.superFramesWhole() + counters.superFramesSegmented())
                        .as("no super-frame where every sender segments").isZero();
            } else if (c.capture() == PassthroughSettings.Capture.RING && !c.ipv6()) {
                assertThat(counters.superFramesWhole()).as("super-frames sent whole").isPositive();
            } else {
                assertThat(counters.superFramesSegmented()).as("super-frames segmented here").isPositive();
                assertThat(counters.superFramesWhole()).isZero();
            }
        }
    }
}
