package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thousands of broken frames to the VIP, sent from the client's namespace at layer 2 (so the client's kernel cannot
 * fix them): truncated, flipped bytes, bad header and data-offset lengths, fragments, IP options, other protocols,
 * IPv6 garbage.
 * The ring's workers drop and count them and keep forwarding: afterwards both workers still carry connections.
 */
class MalformedFramesNeverStopAWorkerTest {
    private static final Logger log = LoggerFactory.getLogger(MalformedFramesNeverStopAWorkerTest.class);
    private static final int FRAMES = 5_000;

    @Test
    void brokenFramesAreDroppedAndCountedAndEveryWorkerKeepsForwarding() throws Exception {
        try (PacketLab lab = new PacketLab(Delivery.PASSTHROUGH).capture(PassthroughSettings.Capture.RING).start()) {
            long balancerMac = mac(lab, lab.balancer, PacketLab.BALANCER_INTERFACE);
            long clientMac = mac(lab, lab.client, "vc");
            String clientIp = lab.namespaces.exec(lab.client, "ip", "-4", "-o", "addr", "show", "vc")
                    .split("inet ")[1].split("/")[0];
            PassthroughCounters before = lab.plane.counters();

            int sent = lab.inClient(() -> {
                try (RingPacketIo raw = RingPacketIo.open("vc", CaptureFilter.NOTHING)) {
                    Random random = new Random(20261127);
                    int ok = 0;
                    for (int i = 0; i < FRAMES; i++) {
                        byte[] frame = broken(random, clientIp, lab.vip);
                        for (int b = 0; b < 6 && frame.length >= 12; b++) {
                            frame[b] = (byte) (balancerMac >>> (40 - 8 * b));
                            frame[6 + b] = (byte) (clientMac >>> (40 - 8 * b));
                        }
                        ok += raw.sendFrame(frame, 0, frame.length) ? 1 : 0;
                    }
                    return ok;
                }
            });

            // What passes the bridge's checks and the capture filter reaches a worker and is counted as a drop, or
            // forwarded (a mutation can leave a valid segment). Other protocols never pass the filter: the kernel
            // keeps them, as it does every frame the filter does not take.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PassthroughCounters c = lab.plane.counters();
                long dropped = c.drops().values().stream().mapToLong(Long::longValue).sum()
                        - before.drops().values().stream().mapToLong(Long::longValue).sum();
                assertThat(dropped).as("%s", c).isGreaterThan(FRAMES / 10);
                assertThat(c.dropped(DropReason.MALFORMED)).as("%s", c).isPositive();
                assertThat(c.dropped(DropReason.BAD_CHECKSUM)).as("%s", c).isPositive();
                assertThat(c.dropped(DropReason.FRAGMENT)).as("%s", c).isPositive();
            });
            log.info("{} of {} broken frames sent; counters {}", sent, FRAMES, lab.plane.counters());

            // every worker still forwards: each takes new connections after the storm
            var workersBefore = lab.plane.workerCounters();
            for (int i = 0; i < 24; i++) {
                assertThat(lab.get("/bytes/100").bytes()).isEqualTo(100);
            }
            var workersAfter = lab.plane.workerCounters();
            for (int w = 0; w < workersAfter.size(); w++) {
                assertThat(workersAfter.get(w).connectionsOpened()).as("worker %d", w)
                        .isGreaterThan(workersBefore.get(w).connectionsOpened());
            }
        }
    }

    /** A SYN to the VIP, broken in one of ten ways. */
    static byte[] broken(Random random, String clientIp, String vip) {
        int port = 32768 + random.nextInt(28000);
        byte[] frame = FrameBuilder.tcp(clientIp, port, vip, PacketLab.VIP_PORT).flags(TcpFrame.SYN)
                .payload("x".repeat(random.nextInt(64))).frame();
        int ip = TcpFrame.ETHERNET_HEADER;
        switch (random.nextInt(10)) {
            case 0 -> frame = java.util.Arrays.copyOf(frame, 14 + random.nextInt(frame.length - 14));
            case 1 -> frame[ip + random.nextInt(frame.length - ip)] ^= (byte) (1 + random.nextInt(255));
            case 2 -> frame[ip] = (byte) (0x40 | random.nextInt(16)); // header length 0-60
            case 3 -> TcpFrame.writeU16(frame, ip + 2, random.nextInt(0x10000)); // total length
            case 4 -> TcpFrame.writeU16(frame, ip + 6, 0x2000 | random.nextInt(0x2000)); // MF, any offset
            case 5 -> frame[ip + 9] = (byte) (random.nextBoolean() ? 17 : 1); // UDP or ICMP
            case 6 -> frame[ip + 20 + 12] = (byte) (random.nextInt(16) << 4); // TCP data offset
            case 7 -> {
                for (int i = ip + 1; i < frame.length; i++) {
                    frame[i] = (byte) random.nextInt(256);
                }
            }
            case 8 -> {
                TcpFrame.writeU16(frame, 12, TcpFrame.ETHERTYPE_IPV6);
                for (int i = ip; i < frame.length; i++) {
                    frame[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                return FrameBuilder.tcp(clientIp, port, vip, PacketLab.VIP_PORT).flags(TcpFrame.SYN)
                        .ipOptions(new byte[] {7, 3, 4, 0}).fragment(0x2000).frame(); // options and a fragment
            }
        }
        // a valid header checksum, so that the bridge passes the frame on to the balancer
        int ihl = frame.length > ip ? (frame[ip] & 0x0F) * 4 : 0;
        if (frame.length >= ip + 20 && ihl >= 20 && frame.length >= ip + ihl
                && TcpFrame.readU16(frame, 12) == TcpFrame.ETHERTYPE_IPV4) {
            TcpFrame.writeU16(frame, ip + 10, Checksums.ipv4Header(frame, ip, ihl));
        }
        return frame;
    }

    static long mac(PacketLab lab, String ns, String device) throws Exception {
        return Long.parseLong(lab.namespaces.exec(ns, "cat", "/sys/class/net/" + device + "/address").strip()
                .replace(":", ""), 16);
    }
}
