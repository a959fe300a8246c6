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
 * forwarder; it picks up a new frontend list by reading one shared reference per batch. A super-frame leaves whole
 * with its vnet header where the I/O takes one ({@link PacketIo#sendsOffloads}: the kernel or the NIC segments it),
 * else it is segmented here ({@link TcpSegmenter}) and sent segment by segment.
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
    private final boolean sendsOffloads;
    private final int mtu;
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final FrameOffload plain = new FrameOffload();
    private final byte[] tunnel = new byte[0xFFFF];
    /** Where the segments of the super-frame being segmented go (an IPv4 address), for the sinks below. */
    private int segmentDestination;
    private final TcpSegmenter.Sink frameSink;
    private final TcpSegmenter.Sink routedSink;
    private final TcpSegmenter.Sink routedIpv6Sink;
    private final TcpSegmenter.Sink tunnelSink;
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
        this.sendsOffloads = io.sendsOffloads();
        this.mtu = io.mtu();
        this.frameSink = (b, o, l) -> io.sendFrame(b, o, l, plain.clear());
        this.routedSink = (b, o, l) -> io.send(b, o, l, segmentDestination);
        this.routedIpv6Sink = io::sendIpv6;
        this.tunnelSink = (b, o, l) -> {
            int n = DsrRewriter.encapsulate(b, o, l, segmentDestination, tunnel);
            return n > 0 && io.send(tunnel, 0, n, segmentDestination);
        };
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
        counters.add(WorkerCounters.STATISTICS_FAILED, losses.statisticsFailed());
    }

    void stop() {
        running = false;
    }

    private static boolean usesLayer2(List<PassthroughFrontend> list) {
        return list.stream().anyMatch(f -> f.delivery() == Delivery.DSR_L2);
    }

    private void onFrame(byte[] frame, int length, FrameOffload offload) {
        Verdict verdict = forwarder.process(frame, length, offload, now);
        if (verdict == Verdict.FORWARD_FRAME_TO_SERVER) {
            if (!sendAsFrame(forwarder.outputBuffer(), forwarder.outputOffset(), forwarder.outputLength())) {
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
        boolean udp = forwarder.outputIsUdp();
        FrameOffload offload = forwarder.outputOffload();
        boolean sent;
        long mac = framesPreferred && !ipv6 && forwarder.outputTunnelTo() == 0 && forwarder.outputFollowsFrameHeader()
                ? neighbours.knownMac(destination) : Neighbours.UNKNOWN;
        if (mac != Neighbours.UNKNOWN) {
            DsrRewriter.readdress(buffer, mac);
            sent = sendAsFrame(buffer, 0, offset + length);
        } else if (forwarder.outputTunnelTo() != 0) {
            // DSR ipip: each segment gets its own outer header, and must fit the MTU with it
            segmentDestination = forwarder.outputTunnelTo();
            int mss = Math.min(mss(offload, buffer, offset), TcpSegmenter.mssFor(mtu - DsrRewriter.OUTER_HEADER,
                    buffer, offset));
            sent = segment(buffer, offset, offset, length, mss, tunnelSink);
        } else if (!udp && (offload.isSuperFrame() || length > mtu)) {
            segmentDestination = destination;
            sent = segment(buffer, offset, offset, length, mss(offload, buffer, offset),
                    ipv6 ? routedIpv6Sink : routedSink);
        } else {
            if (offload.partialChecksum) {
                Checksums.completeTcpAt(buffer, offset, length); // TCP or UDP: a raw socket's packet gets no offload
            }
            sent = ipv6 ? io.sendIpv6(buffer, offset, length) : io.send(buffer, offset, length, destination);
        }
        if (!sent) {
            counters.drop(DropReason.SEND_FAILED);
        } else {
            counters.add(mac != Neighbours.UNKNOWN ? WorkerCounters.SENT_AS_FRAMES : WorkerCounters.SENT_ROUTED, 1);
        }
    }

    /**
     * Sends the Ethernet frame at {@code buffer[offset, offset + length)}: a super-frame (or a frame merged beyond
     * the MTU without a GSO type, from a capture that does not say) whole with its vnet header where the I/O takes
     * one, else segment by segment; a partial checksum is completed where no device will.
     */
    private boolean sendAsFrame(byte[] buffer, int offset, int length) {
        FrameOffload offload = forwarder.outputOffload();
        int ip = offset + TcpFrame.ETHERNET_HEADER;
        int ipLength = length - TcpFrame.ETHERNET_HEADER;
        boolean udp = (buffer[ip] & 0xF0) == 0x60 ? buffer[ip + 6] == TcpFrame.PROTOCOL_UDP
                : buffer[ip + 9] == TcpFrame.PROTOCOL_UDP;
        boolean big = !udp && (offload.isSuperFrame() || ipLength > mtu); // a datagram is never segmented here
        if (sendsOffloads) {
            if (big) {
                asSuperFrame(buffer, offset, ip, offload);
                counters.add(WorkerCounters.SUPER_FRAMES_WHOLE, 1);
            }
            return io.sendFrame(buffer, offset, length, offload);
        }
        if (big) {
            return segment(buffer, offset, ip, ipLength, mss(offload, buffer, ip), frameSink);
        }
        if (offload.partialChecksum) {
            Checksums.completeTcpAt(buffer, ip, ipLength);
        }
        return io.sendFrame(buffer, offset, length, offload);
    }

    /**
     * Makes the frame's offload describe a super-frame the kernel can segment: a GSO type and size (the MTU's MSS
     * if the capture did not say) and a partial checksum (the pseudo-header's sum, {@code tcp_v4_send_check}).
     */
    private void asSuperFrame(byte[] buffer, int offset, int ip, FrameOffload offload) {
        boolean ipv6 = (buffer[ip] & 0xF0) == 0x60;
        if (!offload.isSuperFrame()) {
            offload.gsoType = ipv6 ? FrameOffload.GSO_TCPV6 : FrameOffload.GSO_TCPV4;
            offload.gsoSize = TcpSegmenter.mssFor(mtu, buffer, ip);
        }
        if (!offload.partialChecksum) {
            Checksums.makePartial(buffer, ip);
            offload.partialChecksum = true;
            offload.csumStart = ip - offset + (ipv6 ? TcpFrame.IPV6_HEADER : (buffer[ip] & 0x0F) * 4);
            offload.csumOffset = 16;
        }
    }

    /** The segment size of a super-frame: what its sender used, else the most the MTU allows. */
    private int mss(FrameOffload offload, byte[] buffer, int ip) {
        return offload.gsoSize > 0 ? offload.gsoSize : TcpSegmenter.mssFor(mtu, buffer, ip);
    }

    /** Segments a super-frame into {@code sink}; false if it could not be segmented or a segment was refused. */
    private boolean segment(byte[] buffer, int frameStart, int ip, int ipLength, int mss, TcpSegmenter.Sink sink) {
        counters.add(WorkerCounters.SUPER_FRAMES_SEGMENTED, 1);
        return segmenter.segment(buffer, frameStart, ip, ipLength, mss, sink) == 0;
    }
}
