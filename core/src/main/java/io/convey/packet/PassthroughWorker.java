package io.convey.packet;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data-plane thread: receive a batch, decide, send (frames queued by the I/O leave at the batch's end); sweep
 * the flow table and refresh the neighbour table (for DSR l2, and for frames sent straight to the device) now and
 * then; wait when idle, longer the longer it stays idle. It alone touches its I/O, flow table, neighbour table and
 * forwarder; it picks up a new frontend list by reading one shared reference per batch.
 */
final class PassthroughWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PassthroughWorker.class);
    private static final int BATCH = 64;
    /**
     * An idle worker's wait doubles from 10 µs up to what its I/O allows ({@link PacketIo#longestAwaitNanos}): a busy
     * worker finds its next batch within microseconds, an idle one rarely wakes. Bounded by the next sweep.
     */
    static final long MIN_PARK_NANOS = 10_000;

    private final int index;
    private final int workers;
    private final PacketIo io;
    private final FlowTable flows;
    private final Forwarder forwarder;
    private final NeighbourTable neighbours;
    private final WorkerCounters counters;
    private final AtomicReference<List<PassthroughFrontend>> frontends;
    private final long sweepNanos;
    private final byte[] scratch = new byte[128];
    private final PacketIo.FrameHandler onFrame = this::onFrame;
    private final boolean framesPreferred;
    private final IntConsumer onServerDown = this::onServerDown;
    private volatile boolean running = true;
    private long now;

    PassthroughWorker(int index, int workers, PacketIo io, FlowTable flows, Forwarder forwarder,
                      NeighbourTable neighbours, WorkerCounters counters,
                      AtomicReference<List<PassthroughFrontend>> frontends, long sweepNanos) {
        this.index = index;
        this.workers = workers;
        this.io = io;
        this.flows = flows;
        this.forwarder = forwarder;
        this.neighbours = neighbours;
        this.counters = counters;
        this.frontends = frontends;
        this.sweepNanos = sweepNanos;
        this.framesPreferred = io.prefersFrames();
    }

    @Override
    public void run() {
        List<PassthroughFrontend> applied = frontends.get();
        forwarder.configure(applied);
        boolean layer2 = usesLayer2(applied);
        long lastSweep = System.nanoTime();
        long park = MIN_PARK_NANOS;
        try {
            while (running) {
                List<PassthroughFrontend> latest = frontends.get();
                if (latest != applied) {
                    io.filter(CaptureFilter.forWorker(latest, index, workers));
                    forwarder.configure(latest);
                    layer2 = usesLayer2(latest);
                    applied = latest;
                }
                now = System.nanoTime();
                int received = io.receive(BATCH, onFrame);
                io.flush();
                if (now - lastSweep >= sweepNanos) {
                    countLosses(io.takeLosses());
                    flows.sweep(now, onServerDown);
                    io.flush();
                    if (layer2 || framesPreferred) {
                        neighbours.refresh(now);
                    }
                    lastSweep = now;
                }
                if (received == 0) {
                    io.await(Math.min(park, Math.max(0, sweepNanos - (now - lastSweep))));
                    park = nextPark(park, io.longestAwaitNanos());
                } else {
                    park = MIN_PARK_NANOS;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("passthrough worker stopped: worker={} error={}", index, e.toString(), e);
        } finally {
            neighbours.close();
            io.close();
        }
    }

    static long nextPark(long park, long longest) {
        return Math.min(park * 2, longest);
    }

    private void countLosses(PacketIo.Losses losses) {
        counters.drops(DropReason.CAPTURE_OVERFLOW, losses.overflow());
        counters.drops(DropReason.TOO_BIG, losses.tooBig());
        counters.drops(DropReason.SEND_FAILED, losses.sendFailed());
    }

    void stop() {
        running = false;
    }

    private static boolean usesLayer2(List<PassthroughFrontend> list) {
        return list.stream().anyMatch(f -> f.delivery() == Delivery.DSR_L2);
    }

    private void onFrame(byte[] frame, int length) {
        Verdict verdict = forwarder.process(frame, length, now);
        if (verdict == Verdict.FORWARD_FRAME_TO_SERVER) {
            if (!io.sendFrame(forwarder.outputBuffer(), forwarder.outputOffset(), forwarder.outputLength())) {
                counters.drop(DropReason.SEND_FAILED);
            } else {
                counters.add(WorkerCounters.SENT_AS_FRAMES, 1);
            }
        } else if (verdict.sends()) {
            send();
        }
    }

    private void onServerDown(int flow) {
        if (forwarder.resetForServerDown(flow, scratch)) {
            send();
        }
    }

    /**
     * Sends the forwarder's output: as a frame readdressed to the next hop if the I/O prefers frames and the kernel
     * knows that hop's MAC (an on-link server or client), else as an IP packet that the kernel routes. IPv6 is
     * always routed: the neighbour table here is IPv4's (ARP).
     */
    private void send() {
        byte[] buffer = forwarder.outputBuffer();
        int offset = forwarder.outputOffset();
        int length = forwarder.outputLength();
        int destination = forwarder.outputDestination();
        boolean ipv6 = forwarder.outputIsIpv6();
        boolean sent;
        long mac = framesPreferred && !ipv6 && forwarder.outputFollowsFrameHeader() ? neighbours.knownMac(destination)
                : Neighbours.UNKNOWN;
        if (mac != Neighbours.UNKNOWN) {
            DsrRewriter.readdress(buffer, mac);
            sent = io.sendFrame(buffer, 0, offset + length);
        } else if (ipv6) {
            sent = io.sendIpv6(buffer, offset, length);
        } else {
            sent = io.send(buffer, offset, length, destination);
        }
        if (!sent) {
            counters.drop(DropReason.SEND_FAILED);
        } else {
            counters.add(mac != Neighbours.UNKNOWN ? WorkerCounters.SENT_AS_FRAMES : WorkerCounters.SENT_ROUTED, 1);
        }
    }
}
