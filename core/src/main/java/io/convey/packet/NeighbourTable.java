package io.convey.packet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPv4 neighbour (ARP) table for one interface, read from {@code /proc/thread-self/net/arp} (the
 * calling thread's network namespace) and kept as a sorted snapshot, so lookups are a binary search without
 * allocation. Misses are remembered; {@link #refresh} re-reads the table and, for addresses still missing, makes
 * the kernel resolve them by sending an empty UDP datagram to their discard port (RFC 863), at most once a second
 * per address. A miss of {@link #knownMac} probes nothing (the routed send it falls back to makes the kernel
 * resolve an on-link address) but has the table re-read within {@link #MISS_REREAD_NANOS}, so a next hop the kernel
 * has just resolved gets frames at once, not after the second's re-read. While those re-reads find none of the
 * addresses that missed, neither resolved nor being resolved (clients behind a router miss for good, and the kernel
 * never looks for them on the link), their interval doubles up to the second. An address with an entry but no MAC
 * yet keeps them at the shortest: a re-read can come between the routed send that started the resolution and the
 * reply (an entry that failed stays too while routed traffic retries it, until the flows to it end). Health checks to the servers keep their entries fresh in
 * normal operation. Owned by one worker.
 */
final class NeighbourTable implements Neighbours {
    private static final Logger log = LoggerFactory.getLogger(NeighbourTable.class);
    private static final Path ARP = Path.of("/proc/thread-self/net/arp");
    private static final int ATF_COM = 0x2;
    private static final int DISCARD_PORT = 9;
    private static final int MAX_WANTED = 64;
    private static final long REREAD_NANOS = 1_000_000_000L;
    private static final long PROBE_NANOS = 1_000_000_000L;
    /**
     * The shortest time between re-reads that {@link #knownMac} misses ask for; it doubles, up to a second, while
     * the re-reads find none of the latest missed addresses (a table of thousands of lines takes a millisecond or two
     * to read, on the worker's thread).
     */
    static final long MISS_REREAD_NANOS = 100_000_000L;
    /** Latest distinct addresses {@link #knownMac} missed, looked for after each re-read. */
    private static final int MISSES_KEPT = 4;

    /**
     * A parsed table: addresses in ascending order and their MACs; and, in ascending order, the addresses whose
     * entries have no MAC (being resolved, or failed).
     */
    record Entries(int[] ips, long[] macs, int[] pending) {}

    private final String device;
    private final Path file;
    private Entries entries = new Entries(new int[0], new long[0], new int[0]);
    private final int[] wanted = new int[MAX_WANTED];
    private final long[] probedAt = new long[MAX_WANTED];
    private int wantedCount;
    private long readAt = Long.MIN_VALUE;
    private boolean missed;
    private final int[] misses = new int[MISSES_KEPT];
    private int missCount;
    private long missReread = MISS_REREAD_NANOS;
    private DatagramChannel probe;

    NeighbourTable(String device) {
        this(device, ARP);
    }

    NeighbourTable(String device, Path file) {
        this.device = device;
        this.file = file;
    }

    @Override
    public long mac(int ip) {
        int i = Arrays.binarySearch(entries.ips(), ip);
        if (i >= 0) {
            return entries.macs()[i];
        }
        want(ip);
        return UNKNOWN;
    }

    @Override
    public long knownMac(int ip) {
        int i = Arrays.binarySearch(entries.ips(), ip);
        if (i >= 0) {
            return entries.macs()[i];
        }
        missed = true;
        for (int m = 0; m < missCount; m++) {
            if (misses[m] == ip) {
                return UNKNOWN;
            }
        }
        misses[missCount < MISSES_KEPT ? missCount++ : Integer.remainderUnsigned(ip, MISSES_KEPT)] = ip;
        return UNKNOWN;
    }

    /**
     * Re-reads the table if an address is wanted, a known-MAC lookup missed (at most every {@link #MISS_REREAD_NANOS},
     * backing off) or a second has passed, and probes the wanted ones.
     */
    void refresh(long now) {
        // (nanoTime may be negative: "never read" is tested apart, not through a subtraction that could overflow)
        if (wantedCount == 0 && readAt != Long.MIN_VALUE && now - readAt < REREAD_NANOS
                && !(missed && now - readAt >= missReread)) {
            return;
        }
        readAt = now;
        try {
            entries = parse(Files.readString(file, StandardCharsets.US_ASCII), device);
        } catch (IOException e) {
            log.warn("neighbour table unreadable: file={} error={}", file, e.toString());
        }
        if (missed) {
            boolean found = false;
            for (int m = 0; m < missCount && !found; m++) {
                found = Arrays.binarySearch(entries.ips(), misses[m]) >= 0
                        || Arrays.binarySearch(entries.pending(), misses[m]) >= 0;
            }
            missReread = found ? MISS_REREAD_NANOS : Math.min(missReread * 2, REREAD_NANOS);
            missed = false;
            missCount = 0;
        }
        int kept = 0;
        for (int i = 0; i < wantedCount; i++) {
            if (Arrays.binarySearch(entries.ips(), wanted[i]) >= 0) {
                continue;
            }
            if (now - probedAt[i] >= PROBE_NANOS || probedAt[i] == 0) {
                probedAt[i] = now;
                probe(wanted[i]);
            }
            wanted[kept] = wanted[i];
            probedAt[kept++] = probedAt[i];
        }
        wantedCount = kept;
    }

    /**
     * Parses {@code /proc/net/arp}: the entries on {@code device}, complete ones (flag ATF_COM) with their MACs, the
     * others as pending; other lines are skipped.
     */
    static Entries parse(String text, String device) {
        TreeMap<Integer, Long> found = new TreeMap<>();
        TreeSet<Integer> pending = new TreeSet<>();
        for (String line : text.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || !f[5].equals(device)) {
                continue;
            }
            try {
                if ((Integer.decode(f[2]) & ATF_COM) != 0) {
                    found.put(parseIp(f[0]), parseMac(f[3]));
                } else {
                    pending.add(parseIp(f[0]));
                }
            } catch (NumberFormatException e) {
                log.debug("neighbour line skipped: {}", line);
            }
        }
        int[] ips = new int[found.size()];
        long[] macs = new long[found.size()];
        int i = 0;
        for (var e : found.entrySet()) {
            ips[i] = e.getKey();
            macs[i++] = e.getValue();
        }
        return new Entries(ips, macs, pending.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int parseIp(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new NumberFormatException("ip: " + dotted + " (expected: a.b.c.d)");
        }
        int ip = 0;
        for (String part : parts) {
            int b = Integer.parseInt(part);
            if (b < 0 || b > 255) {
                throw new NumberFormatException("ip: " + dotted + " (expected: a.b.c.d)");
            }
            ip = ip << 8 | b;
        }
        return ip;
    }

    private static long parseMac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new NumberFormatException("mac: " + text + " (expected: six hex bytes)");
        }
        long mac = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new NumberFormatException("mac: " + text + " (expected: six hex bytes)");
            }
            mac = mac << 8 | Integer.parseInt(part, 16);
        }
        return mac;
    }

    private void want(int ip) {
        for (int i = 0; i < wantedCount; i++) {
            if (wanted[i] == ip) {
                return;
            }
        }
        if (wantedCount < MAX_WANTED) {
            probedAt[wantedCount] = 0;
            wanted[wantedCount++] = ip;
        }
    }

    private void probe(int ip) {
        try {
            if (probe == null) {
                probe = DatagramChannel.open();
                probe.configureBlocking(false);
            }
            probe.send(ByteBuffer.allocate(0), new InetSocketAddress(Ipv4.toAddress(ip), DISCARD_PORT));
            log.debug("neighbour resolution started: ip={} device={}", Ipv4.format(ip), device);
        } catch (IOException e) {
            log.debug("neighbour probe failed: ip={} error={}", Ipv4.format(ip), e.toString());
        }
    }

    void close() {
        if (probe != null) {
            try {
                probe.close();
            } catch (IOException e) {
                log.debug("neighbour probe close failed: {}", e.toString());
            }
        }
    }
}
