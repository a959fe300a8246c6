package io.convey.packet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packet data plane for passthrough (NAT) and direct server return: worker threads that capture the
 * frontends' traffic and forward it without terminating TCP, each frontend by its {@link Delivery}. Frontends are
 * swapped as one immutable list; counters are read as a snapshot. The capture handles and raw sockets are opened
 * by {@link #start} on the calling thread, so they belong to its network namespace (as do the workers, which
 * read the neighbour table of that namespace). Start, configure, counters and close may be called from any thread.
 */
public final class PacketDataPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PacketDataPlane.class);
    /**
     * Source ports on the VIP left to the host's own health checks: below the range that flows use towards servers
     * ({@link PortAllocator#FIRST}), so that the capture never takes a check's reply.
     */
    public static final int HEALTH_FIRST_PORT = 31768;
    public static final int HEALTH_LAST_PORT = 32767;

    /** Opens the capture/injection of one worker. */
    @FunctionalInterface
    interface IoFactory {
        PacketIo open(String interfaceName, String filter) throws IOException;
    }

    private final PassthroughSettings settings;
    private final IoFactory ioFactory;
    private final AtomicReference<List<PassthroughFrontend>> frontends = new AtomicReference<>(List.of());
    private final List<WorkerCounters> counters = new ArrayList<>();
    private final List<PassthroughWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private String capture;

    public PacketDataPlane(PassthroughSettings settings) {
        this(settings, switch (settings.capture()) {
            case AUTO -> PacketDataPlane::ringOrPcap;
            case RING -> RingPacketIo::open;
            case PCAP -> PcapPacketIo::open;
        });
    }

    /**
     * A ring where the kernel offers one (Linux with PACKET_MMAP and TPACKET_V2, libpcap to compile the filter),
     * else libpcap. The reason for falling back is logged once per worker; it is the same each time.
     */
    private static PacketIo ringOrPcap(String interfaceName, String filter) throws IOException {
        return firstWorking(RingPacketIo::open, PcapPacketIo::open).open(interfaceName, filter);
    }

    PacketDataPlane(PassthroughSettings settings, IoFactory ioFactory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ioFactory = ioFactory;
    }

    /** Opens with {@code preferred}, or with {@code fallback} if that fails (logged with the reason). */
    static IoFactory firstWorking(IoFactory preferred, IoFactory fallback) {
        return (interfaceName, filter) -> {
            try {
                return preferred.open(interfaceName, filter);
            } catch (IOException | RuntimeException e) {
                log.warn("capture ring unavailable on {}, using libpcap: {}", interfaceName, e.getMessage());
                return fallback.open(interfaceName, filter);
            }
        };
    }

    /** Opens one capture handle and raw socket per worker and starts the workers. */
    public synchronized void start(List<PassthroughFrontend> initial) throws IOException {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("data plane: started (expected: not started)");
        }
        frontends.set(List.copyOf(initial));
        int n = settings.workers();
        int capacity = (settings.flowCapacity() + n - 1) / n;
        List<PacketIo> opened = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                opened.add(ioFactory.open(settings.interfaceName(), CaptureFilter.forWorker(frontends.get(), i, n)));
            }
        } catch (IOException | RuntimeException e) {
            opened.forEach(PacketIo::close);
            throw e;
        }
        for (int i = 0; i < n; i++) {
            WorkerCounters c = new WorkerCounters();
            FlowTable table = new FlowTable(capacity, settings.timeouts(), ServerPorts.forWorker(i, n), c);
            NeighbourTable neighbours = new NeighbourTable(settings.interfaceName());
            Forwarder forwarder = new Forwarder(table, c, settings.verifyTcpChecksum(), neighbours);
            PassthroughWorker worker = new PassthroughWorker(i, n, opened.get(i), table, forwarder, neighbours, c,
                    frontends, settings.sweepInterval().toNanos());
            counters.add(c);
            workers.add(worker);
            threads.add(Thread.ofPlatform().name("convey-packet-" + i).start(worker));
        }
        capture = opened.getFirst() instanceof RingPacketIo ? "ring" : "pcap";
        log.info("packet data plane started: interface={} workers={} capture={} flowCapacity={} frontends={}",
                settings.interfaceName(), n, capture, settings.flowCapacity(), names(initial));
    }

    /** How the workers capture: "ring" or "pcap"; null before {@link #start}. */
    public synchronized String capture() {
        return capture;
    }

    /** Replaces the frontends; each worker applies the list (and its capture filter) before its next batch. */
    public void configure(List<PassthroughFrontend> next) {
        frontends.set(List.copyOf(next));
        log.info("packet data plane configured: frontends={}", names(next));
    }

    /** Returns the counters summed over the workers. */
    public synchronized PassthroughCounters counters() {
        return PassthroughCounters.sum(counters);
    }

    /** Returns each worker's counters, in worker order: how evenly the capture filters share the traffic. */
    public synchronized List<PassthroughCounters> workerCounters() {
        return counters.stream().map(c -> PassthroughCounters.sum(List.of(c))).toList();
    }

    /** Stops the workers and closes their handles; waits for them to finish their batch. */
    @Override
    public synchronized void close() {
        workers.forEach(PassthroughWorker::stop);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!threads.isEmpty()) {
            log.info("packet data plane stopped: interface={}", settings.interfaceName());
        }
        threads.clear();
        workers.clear();
    }

    private static List<String> names(List<PassthroughFrontend> list) {
        return list.stream()
                .map(f -> f.name() + "=" + f.vipHost() + ":" + f.port() + "/" + f.delivery().id())
                .toList();
    }
}
