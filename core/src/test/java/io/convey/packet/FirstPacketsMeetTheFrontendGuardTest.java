package io.convey.packet;

import static io.convey.packet.TcpFrame.ACK;
import static io.convey.packet.TcpFrame.FIN;
import static io.convey.packet.TcpFrame.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import io.convey.net.Cidr;
import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessList;
import io.convey.traffic.AccessSink;
import io.convey.traffic.Ending;
import io.convey.traffic.FrontendGuard;
import io.convey.traffic.RateLimiter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The forwarder asks the frontend's guard on the first packet of a flow, before any server is picked: refused
 * first packets are dropped and counted; through the packet path, a million sources leave memory as it was.
 */
class FirstPacketsMeetTheFrontendGuardTest {
    static final String VIP = "10.0.0.10";
    static final ServerRef S1 = new ServerRef("s1", FrameBuilder.ip("10.0.1.1"), 8080);
    private final LongAdder refused = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final List<AccessEntry> entries = new ArrayList<>();
    private final AccessSink sink = entries::add;

    private Forwarder forwarder(FrontendGuard guard, int capacity) throws Exception {
        return forwarder(guard, capacity, sink);
    }

    private Forwarder forwarder(FrontendGuard guard, int capacity, AccessSink sink) throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(capacity, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder forwarder = new Forwarder(table, counters, false, Neighbours.NONE);
        forwarder.configure(List.of(new PassthroughFrontend("web", InetAddress.getByName(VIP), 80, List.of(S1),
                new TestScheduler(List.of(S1)), Delivery.PASSTHROUGH, guard, sink)));
        return forwarder;
    }

    private static Verdict process(Forwarder f, FrameBuilder frame, long now) {
        byte[] bytes = frame.frame();
        return f.process(bytes, bytes.length, now);
    }

    @Test
    void aDeniedClientsSynIsDroppedAndCountedAndOthersPass() throws Exception {
        FrontendGuard guard = new FrontendGuard(AccessList.of(List.of(), List.of(Cidr.parse("192.168.1.66"))), null,
                refused, rateLimited);
        Forwarder f = forwarder(guard, 16);
        assertThat(process(f, FrameBuilder.tcp("192.168.1.66", 40000, VIP, 80).flags(SYN), 1))
                .isEqualTo(Verdict.DROP_REFUSED_BY_ACL);
        assertThat(process(f, FrameBuilder.tcp("192.168.1.66", 40000, VIP, 80).flags(ACK), 2))
                .as("a later segment of the refused client finds no flow and is refused too")
                .isEqualTo(Verdict.DROP_REFUSED_BY_ACL);
        assertThat(process(f, FrameBuilder.tcp("192.168.1.5", 40000, VIP, 80).flags(SYN), 3))
                .isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(refused.sum()).isEqualTo(2);
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.ending()).isEqualTo(Ending.REFUSED_BY_ACL);
            assertThat(e.client().getAddress().getHostAddress()).isEqualTo("192.168.1.66");
            assertThat(e.server()).isNull();
        });
    }

    @Test
    void aDsrFrontendDropsADeniedSourceWhateverTheSegment() throws Exception {
        WorkerCounters counters = new WorkerCounters();
        FlowTable table = new FlowTable(16, FlowTimeouts.defaults(), ServerPorts.forWorker(0, 1), counters);
        Forwarder f = new Forwarder(table, counters, false, Neighbours.NONE);
        f.configure(List.of(new PassthroughFrontend("web", InetAddress.getByName(VIP), 80, List.of(S1),
                new TestScheduler(List.of(S1)), Delivery.DSR_NAT, new FrontendGuard(AccessList.of(
                        List.of(Cidr.parse("192.168.0.0/16")), List.of()), null, refused, rateLimited), sink)));
        assertThat(process(f, FrameBuilder.tcp("172.16.0.1", 40000, VIP, 80).flags(SYN), 1))
                .isEqualTo(Verdict.DROP_REFUSED_BY_ACL);
        assertThat(process(f, FrameBuilder.tcp("172.16.0.1", 40000, VIP, 80).flags(ACK), 2))
                .as("DSR picks again for a segment without a flow: the lists still apply")
                .isEqualTo(Verdict.DROP_REFUSED_BY_ACL);
        assertThat(process(f, FrameBuilder.tcp("192.168.1.5", 40000, VIP, 80).flags(SYN), 3))
                .isEqualTo(Verdict.FORWARD_TO_SERVER);
        assertThat(counters.drops(DropReason.REFUSED_BY_ACL)).isEqualTo(2);
    }

    @Test
    void aFlowsEndIsLoggedWithItsBytesAndWhoClosedFirst() throws Exception {
        Forwarder f = forwarder(FrontendGuard.OPEN, 16);
        process(f, FrameBuilder.tcp("192.168.1.5", 40000, VIP, 80).flags(SYN), 1);
        process(f, FrameBuilder.tcp("10.0.1.1", 8080, VIP, 40000).flags(SYN | ACK).seq(5000).ack(1001), 2);
        process(f, FrameBuilder.tcp("192.168.1.5", 40000, VIP, 80).flags(ACK).seq(1001).ack(5001)
                .payload(new byte[100]), 3);
        process(f, FrameBuilder.tcp("10.0.1.1", 8080, VIP, 40000).flags(ACK | FIN).seq(5001).ack(1101)
                .payload(new byte[300]), 4);
        process(f, FrameBuilder.tcp("192.168.1.5", 40000, VIP, 80).flags(ACK | FIN).seq(1101).ack(5302), 5);
        // a new SYN on the same client port retires the finished flow
        process(f, FrameBuilder.tcp("192.168.1.5", 40000, VIP, 80).flags(SYN), 6);
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.ending()).isEqualTo(Ending.SERVER_CLOSED);
            assertThat(e.bytesFromClient()).isEqualTo(100);
            assertThat(e.bytesFromServer()).isEqualTo(300);
            assertThat(e.server()).isEqualTo("s1");
            assertThat(e.serverAddress().getPort()).isEqualTo(8080);
            assertThat(e.client().getPort()).isEqualTo(40000);
        });
    }

    @Test
    void aMillionSourcesThroughThePacketPathKeepMemoryBoundedAndTheLimitRight() throws Exception {
        RateLimiter limiter = new RateLimiter(5, 10, 32, 64, 65_536);
        FrontendGuard guard = new FrontendGuard(AccessList.OPEN, limiter, refused, rateLimited);
        // without an access log: with one, each evicted flow would rightly leave an entry
        Forwarder f = forwarder(guard, 4096, AccessSink.OFF);
        byte[] template = FrameBuilder.tcp("11.0.0.0", 40000, VIP, 80).flags(SYN).frame();
        byte[] abuser = FrameBuilder.tcp("10.66.0.1", 40000, VIP, 80).flags(SYN).frame();
        byte[] frame = new byte[template.length];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t = 10_000_000_000L;
        int freshForwarded = 0;
        int abuserForwarded = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            t += 1_000; // a million sources within one second
            System.arraycopy(template, 0, frame, 0, template.length);
            TcpFrame.writeU16(frame, 14 + 12, 0x0B00 | (i >>> 16));
            TcpFrame.writeU16(frame, 14 + 14, i & 0xFFFF);
            TcpFrame.writeU16(frame, 14 + 10, Checksums.ipv4Header(frame, 14, 20));
            if (f.process(frame, frame.length, t) == Verdict.FORWARD_TO_SERVER) {
                freshForwarded++;
            }
            if (i % 100 == 0) {
                byte[] copy = frame;
                System.arraycopy(abuser, 0, copy, 0, abuser.length);
                TcpFrame.writeU16(copy, 14 + 20, 1024 + (i / 100) % 60000); // a new client port each time
                TcpFrame.writeU16(copy, 14 + 10, Checksums.ipv4Header(copy, 14, 20));
                if (f.process(copy, copy.length, t) == Verdict.FORWARD_TO_SERVER) {
                    abuserForwarded++;
                }
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated for a million sources' SYNs").isLessThan(1 << 20);
        assertThat(limiter.capacity()).isEqualTo(65_536);
        assertThat(freshForwarded).as("each new source's first SYN").isEqualTo(1_000_000);
        // 10,000 SYNs in one second at 5/s with a burst of 10
        assertThat(abuserForwarded).isBetween(10, 16);
        assertThat(rateLimited.sum()).isEqualTo(10_000 - abuserForwarded);
    }
}
