package io.convey.packet;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/** Captures the frames matching a filter on an interface inside a namespace, until closed. */
final class WireCapture implements AutoCloseable {
    final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final PcapHandle handle;
    private final Thread reader;
    private volatile boolean running = true;

    WireCapture(String ns, String device, String filter) throws Exception {
        this(ns, device, filter, 65535, 2 * 1024 * 1024);
    }

    /**
     * Captures the first {@code snaplen} bytes of each frame into a kernel buffer of {@code bufferBytes} (65535 and
     * libpcap's default of 2 MiB above). In immediate mode libpcap's ring has a slot of about {@code snaplen} bytes per
     * frame, so a bulk transfer, which outruns the reader (it parks when the ring is empty), needs a small snaplen
     * and a large buffer to be seen whole.
     */
    WireCapture(String ns, String device, String filter, int snaplen, int bufferBytes) throws Exception {
        handle = NetNamespaces.callIn(ns, () -> {
            PcapHandle h = new PcapHandle.Builder(device).snaplen(snaplen).promiscuousMode(PromiscuousMode.PROMISCUOUS)
                    .timeoutMillis(1).immediateMode(true).bufferSize(bufferBytes).build();
            h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            return h;
        });
        reader = Thread.ofPlatform().daemon().name("capture-" + device).start(this::read);
    }

    private void read() {
        try {
            while (running) {
                byte[] frame = handle.getNextRawPacket();
                if (frame == null) {
                    LockSupport.parkNanos(1_000_000);
                } else {
                    frames.add(frame);
                }
            }
        } catch (NotOpenException e) {
            // closed
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join();
        handle.close();
    }
}
