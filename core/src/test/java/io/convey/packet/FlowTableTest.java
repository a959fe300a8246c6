package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    static final ServerRef S1 = new ServerRef("s1", 0x0A000101, 8080);
    static final int VIP = 0x0A00000A;
    static final long MS = 1_000_000L;
    static final FlowTimeouts TIMEOUTS = new FlowTimeouts(Duration.ofMillis(100), Duration.ofMillis(1000),
            Duration.ofMillis(300), Duration.ofMillis(20));

    final WorkerCounters counters = new WorkerCounters();
    final TestScheduler scheduler = new TestScheduler(List.of(S1));

    FlowTable table(int capacity, ServerPorts ports) {
        return new FlowTable(capacity, TIMEOUTS, ports, counters);
    }

    static TcpFrame segment(int flags, int seq, int payload) {
        TcpFrame p = new TcpFrame();
        p.flags = flags;
        p.seq = seq;
        p.payloadLength = payload;
        return p;
    }

    @Test
    void fullTableEvictsTheLeastRecentlyUsedFlow() {
        FlowTable t = table(2, ServerPorts.forWorker(0, 1));
        int a = t.open(1, 1000, VIP, 80, S1, scheduler, true, 0);
        int b = t.open(2, 1000, VIP, 80, S1, scheduler, true, 1);
        t.clientSegment(a, segment(TcpFrame.ACK, 0, 0), 2); // a is now the most recent
        int c = t.open(3, 1000, VIP, 80, S1, scheduler, true, 3);
        assertThat(t.find(2, 1000, VIP, 80)).isEqualTo(-1);
        assertThat(t.find(1, 1000, VIP, 80)).isEqualTo(a);
        assertThat(t.find(3, 1000, VIP, 80)).isEqualTo(c).isEqualTo(b); // the slot is reused
        assertThat(counters.get(WorkerCounters.EVICTED)).isEqualTo(1);
        assertThat(counters.get(WorkerCounters.CLOSED)).isEqualTo(1);
    }

    @Test
    void noFreePortMeansTableFull() {
        FlowTable t = table(10, new ServerPorts(40000, 40001, 0, 1));
        assertThat(t.open(1, 1, VIP, 80, S1, scheduler, true, 0)).isNotNegative();
        assertThat(t.open(2, 1, VIP, 80, S1, scheduler, true, 0)).isNotNegative();
        assertThat(t.open(3, 1, VIP, 80, S1, scheduler, true, 0)).isEqualTo(-1);
    }

    @Test
    void eachStateExpiresAfterItsOwnTimeout() {
        FlowTable t = table(8, ServerPorts.forWorker(0, 1));
        int handshake = t.open(1, 1, VIP, 80, S1, scheduler, true, 0);
        int established = t.open(2, 1, VIP, 80, S1, scheduler, true, 0);
        t.serverSegment(established, segment(TcpFrame.SYN | TcpFrame.ACK, 0, 0), 0);
        int closing = t.open(3, 1, VIP, 80, S1, scheduler, true, 0);
        t.serverSegment(closing, segment(TcpFrame.SYN | TcpFrame.ACK, 0, 0), 0);
        t.clientSegment(closing, segment(TcpFrame.FIN | TcpFrame.ACK, 0, 0), 0);
        int reset = t.open(4, 1, VIP, 80, S1, scheduler, true, 0);
        t.clientSegment(reset, segment(TcpFrame.RST, 0, 0), 0);
        int port = t.port(reset);

        t.sweep(50 * MS, f -> {});
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.findByPort(S1.ip(), S1.port(), port)).isEqualTo(-1);
        t.sweep(200 * MS, f -> {});
        assertThat(t.find(1, 1, VIP, 80)).isEqualTo(-1);
        assertThat(t.size()).isEqualTo(2);
        t.sweep(400 * MS, f -> {});
        assertThat(t.find(3, 1, VIP, 80)).isEqualTo(-1);
        t.sweep(2000 * MS, f -> {});
        assertThat(t.size()).isZero();
        assertThat(counters.get(WorkerCounters.OPENED)).isEqualTo(counters.get(WorkerCounters.CLOSED)).isEqualTo(4);
    }

    @Test
    void bothFinsLeaveOnlyTheTimeWait() {
        FlowTable t = table(4, ServerPorts.forWorker(0, 1));
        int f = t.open(1, 1, VIP, 80, S1, scheduler, true, 0);
        t.clientSegment(f, segment(TcpFrame.FIN | TcpFrame.ACK, 0, 0), 0);
        t.serverSegment(f, segment(TcpFrame.FIN | TcpFrame.ACK, 0, 0), 0);
        assertThat(t.closed(f)).isTrue();
        t.sweep(30 * MS, x -> {});
        assertThat(t.size()).isZero();
    }

    @Test
    void flowsOfADownServerAreHandedOverAndRemoved() {
        FlowTable t = table(4, ServerPorts.forWorker(0, 1));
        int f = t.open(1, 1, VIP, 80, S1, scheduler, true, 0);
        t.serverSegment(f, segment(TcpFrame.SYN | TcpFrame.ACK, 5000, 0), 0);
        t.serverSegment(f, segment(TcpFrame.ACK, 5001, 100), 0);
        t.serverSegment(f, segment(TcpFrame.ACK, 5001, 10), 0); // a retransmission does not move it back
        assertThat(t.serverSeqNext(f)).isEqualTo(5101);
        scheduler.markDown(S1);
        List<Integer> handed = new ArrayList<>();
        t.sweep(1, handed::add);
        assertThat(handed).containsExactly(f);
        assertThat(t.size()).isZero();
    }

    @Test
    void serversShareEphemeralPortsAndRepliesFindTheirOwnFlow() {
        ServerRef s2 = new ServerRef("s2", 0x0A000102, 8080);
        ServerRef s3 = new ServerRef("s3", 0x0A000101, 8081);
        FlowTable t = table(8, new ServerPorts(40000, 40000, 0, 1));
        int a = t.open(1, 1, VIP, 80, S1, scheduler, true, 0);
        int b = t.open(2, 1, VIP, 80, s2, scheduler, true, 0);
        int c = t.open(3, 1, VIP, 80, s3, scheduler, true, 0);
        assertThat(List.of(t.port(a), t.port(b), t.port(c))).containsOnly(40000);
        assertThat(t.open(4, 1, VIP, 80, S1, scheduler, true, 0)).isEqualTo(-1); // S1's only port is taken
        t.remove(b);
        assertThat(t.findByPort(S1.ip(), S1.port(), 40000)).isEqualTo(a);
        assertThat(t.findByPort(s2.ip(), s2.port(), 40000)).isEqualTo(-1);
        assertThat(t.findByPort(s3.ip(), s3.port(), 40000)).isEqualTo(c);
    }

    @Test
    void indexStaysConsistentUnderRandomOpensAndRemovals() {
        List<ServerRef> servers = List.of(S1, new ServerRef("s2", 0x0A000102, 8080),
                new ServerRef("s3", 0x0A000101, 8081));
        FlowTable t = table(512, new ServerPorts(40000, 40199, 0, 1)); // ports overlap across the servers
        Map<Long, Integer> model = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            int ip = random.nextInt(64);
            int port = random.nextInt(16);
            long key = ((long) ip << 16) | port;
            Integer f = model.get(key);
            assertThat(t.find(ip, port, VIP, 80)).isEqualTo(f == null ? -1 : f);
            if (f == null && model.size() < 512) {
                int opened = t.open(ip, port, VIP, 80, servers.get(random.nextInt(3)), scheduler, true, i);
                if (opened >= 0) {
                    model.put(key, opened);
                }
            } else if (f != null) {
                ServerRef server = t.server(f);
                assertThat(t.clientIp(t.findByPort(server.ip(), server.port(), t.port(f)))).isEqualTo(ip);
                t.remove(f);
                model.remove(key);
            }
        }
        assertThat(t.size()).isEqualTo(model.size());
    }
}
