package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighbourTableTest {
    static final String HEADER =
            "IP address       HW type     Flags       HW address            Mask     Device\n";
    private static final long MS = 1_000_000L;
    /** A start time: System.nanoTime() may be negative. */
    private static final long T0 = -5_000_000_000L;
    /** The table once the kernel has resolved 127.0.0.9 (a probe, if any, stays on loopback). */
    static final String SERVER_RESOLVED = HEADER
            + "127.0.0.9        0x1         0x2         02:aa:bb:cc:dd:09     *        eth0\n";

    @Test
    void parsesCompleteEntriesOfTheDeviceOnly() {
        NeighbourTable.Entries e = NeighbourTable.parse(HEADER
                + "10.0.0.5         0x1         0x2         02:aa:bb:cc:dd:05     *        eth0\n"
                + "10.0.0.4         0x1         0x6         02:aa:bb:cc:dd:04     *        eth0\n"
                + "10.0.0.6         0x1         0x0         00:00:00:00:00:00     *        eth0\n"
                + "10.0.0.7         0x1         0x2         02:aa:bb:cc:dd:07     *        eth1\n"
                + "200.0.0.1        0x1         0x2         02:aa:bb:cc:dd:c8     *        eth0\n"
                + "garbage line\n"
                + "10.0.0.300       0x1         0x2         02:aa:bb:cc:dd:ff     *        eth0\n"
                + "10.0.0.8         0x1         0x2         02:aa:bb:cc:dd:8      *        eth0\n", "eth0");
        assertThat(e.ips()).containsExactly(FrameBuilder.ip("200.0.0.1"), FrameBuilder.ip("10.0.0.4"),
                FrameBuilder.ip("10.0.0.5")); // signed order, as the binary search needs
        assertThat(e.macs()).containsExactly(0x02AABBCCDDC8L, 0x02AABBCCDD04L, 0x02AABBCCDD05L);
        assertThat(e.pending()).containsExactly(FrameBuilder.ip("10.0.0.6"));
    }

    @Test
    void missIsResolvedByTheNextRefresh(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arp");
        Files.writeString(file, HEADER);
        NeighbourTable table = new NeighbourTable("eth0", file);
        int ip = FrameBuilder.ip("127.0.0.1"); // a probe, if any, stays on loopback
        table.refresh(0);
        assertThat(table.mac(ip)).isEqualTo(Neighbours.UNKNOWN);
        Files.writeString(file, HEADER
                + "127.0.0.1        0x1         0x2         02:aa:bb:cc:dd:01     *        eth0\n");
        table.refresh(1); // a miss makes the refresh read at once, not after a second
        assertThat(table.mac(ip)).isEqualTo(0x02AABBCCDD01L);
        table.close();
    }

    @Test
    void knownMacReadsTheTableOnTheFirstRefreshAndEverySecondWithoutProbing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arp");
        Files.writeString(file, HEADER
                + "10.0.0.5         0x1         0x2         02:aa:bb:cc:dd:05     *        eth0\n");
        NeighbourTable table = new NeighbourTable("eth0", file);
        long start = -5_000_000_000L; // System.nanoTime() may be negative
        assertThat(table.knownMac(FrameBuilder.ip("10.0.0.5"))).isEqualTo(Neighbours.UNKNOWN);
        table.refresh(start);
        assertThat(table.knownMac(FrameBuilder.ip("10.0.0.5"))).isEqualTo(0x02AABBCCDD05L);
        Files.writeString(file, HEADER
                + "10.0.0.9         0x1         0x2         02:aa:bb:cc:dd:09     *        eth0\n");
        table.refresh(start + 500_000_000L);
        assertThat(table.knownMac(FrameBuilder.ip("10.0.0.5"))).isEqualTo(0x02AABBCCDD05L); // no miss: not re-read
        table.refresh(start + 1_000_000_000L);
        assertThat(table.knownMac(FrameBuilder.ip("10.0.0.9"))).isEqualTo(0x02AABBCCDD09L);
        assertThat(table.knownMac(FrameBuilder.ip("10.0.0.5"))).isEqualTo(Neighbours.UNKNOWN); // gone from the kernel's
        table.close();
    }

    @Test
    void aKnownMacMissHasTheTableReadAgainWithinAHundredMilliseconds(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("arp");
        long start = -5_000_000_000L;
        NeighbourTable table = readOnceEmpty(file, start);
        int server = FrameBuilder.ip("127.0.0.9"); // a probe, if any, stays on loopback
        assertThat(table.knownMac(server)).isEqualTo(Neighbours.UNKNOWN); // the routed send resolves it meanwhile
        Files.writeString(file, SERVER_RESOLVED);
        table.refresh(start + NeighbourTable.MISS_REREAD_NANOS - 1);
        assertThat(table.knownMac(server)).as("read at most every 100 ms").isEqualTo(Neighbours.UNKNOWN);
        table.refresh(start + NeighbourTable.MISS_REREAD_NANOS);
        assertThat(table.knownMac(server)).isEqualTo(0x02AABBCCDD09L);
        table.close();
    }

    @Test
    void aMissReadBackWhileTheKernelResolvesItKeepsTheHundredMilliseconds(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arp");
        NeighbourTable table = readOnceEmpty(file, T0);
        int server = FrameBuilder.ip("127.0.0.9");
        table.knownMac(server); // the routed send has the kernel ask; the next read sees its entry without a MAC
        Files.writeString(file, HEADER
                + "127.0.0.9        0x1         0x0         00:00:00:00:00:00     *        eth0\n");
        table.refresh(T0 + 100 * MS);
        assertThat(table.knownMac(server)).isEqualTo(Neighbours.UNKNOWN);
        Files.writeString(file, SERVER_RESOLVED);
        table.refresh(T0 + 200 * MS);
        assertThat(table.knownMac(server)).as("read again 100 ms later, not 200").isEqualTo(0x02AABBCCDD09L);
        table.close();
    }

    @Test
    void missesThatNeverResolveBackOffTowardsTheSecond(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("arp");
        NeighbourTable table = readOnceEmpty(file, T0);
        int routed = FrameBuilder.ip("127.0.0.99"); // a client behind a router: never in the table
        table.knownMac(routed);
        table.refresh(T0 + 100 * MS); // read: not found, the next one waits 200 ms
        table.knownMac(routed);
        table.refresh(T0 + 200 * MS); // not read
        table.refresh(T0 + 300 * MS); // read: not found, the next one waits 400 ms
        table.knownMac(routed);
        Files.writeString(file, SERVER_RESOLVED);
        int server = FrameBuilder.ip("127.0.0.9");
        table.refresh(T0 + 600 * MS);
        assertThat(table.knownMac(server)).as("not read 300 ms after the last").isEqualTo(Neighbours.UNKNOWN);
        table.refresh(T0 + 700 * MS);
        assertThat(table.knownMac(server)).isEqualTo(0x02AABBCCDD09L);
        table.close();
    }

    /** A table over an empty file, read once at {@code at} (nanoTime, which may be negative). */
    private static NeighbourTable readOnceEmpty(Path file, long at) throws IOException {
        Files.writeString(file, HEADER);
        NeighbourTable table = new NeighbourTable("eth0", file);
        table.refresh(at);
        return table;
    }
}
