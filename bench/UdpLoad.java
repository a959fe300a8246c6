// A bounded UDP load generator and echo server for bench/udp (run with `java bench/UdpLoad.java ...`).
//
//   echo PORT                                   answers every datagram with itself, until killed
//   client PORT SECONDS SOCKETS WINDOW SIZE     keeps WINDOW datagrams of SIZE bytes in flight on each of SOCKETS
//                                               sockets to 127.0.0.1:PORT for SECONDS, sending one more for each
//                                               answer; prints answers, bytes, lost, seconds and latency
//                                               percentiles (ms) on one line
//
// Only loopback is used. A datagram unanswered for 200 ms counts as lost and is replaced, so a lossy balancer
// slows the load rather than stalling it. Single-threaded (one selector) so that its own CPU stays small and
// constant.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;

public class UdpLoad {
    private static final long LOSS_NANOS = 200_000_000L;
    private static final int MAX_SAMPLES = 2_000_000;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo(Integer.parseInt(args[1]));
            case "client" -> client(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("mode: " + args[0] + " (expected: echo or client)");
        }
    }

    static void echo(int port) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", port));
            ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
            while (true) {
                buffer.clear();
                var from = channel.receive(buffer);
                buffer.flip();
                channel.send(buffer, from);
            }
        }
    }

    static void client(int port, int seconds, int sockets, int window, int size) throws IOException {
        if (seconds < 1 || seconds > 600 || sockets < 1 || sockets > 4096 || window < 1 || window > 1024) {
            throw new IllegalArgumentException("bounds: 1-600 s, 1-4096 sockets, window 1-1024");
        }
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        Selector selector = Selector.open();
        DatagramChannel[] channels = new DatagramChannel[sockets];
        long[] sentAt = new long[sockets];
        long[] lastAnswer = new long[sockets];
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            payload.put((byte) ('a' + i % 26));
        }
        ByteBuffer in = ByteBuffer.allocateDirect(65_536);
        long[] samples = new long[MAX_SAMPLES];
        int sampleCount = 0;
        long answers = 0;
        long bytes = 0;
        long lost = 0;
        long start = System.nanoTime();
        for (int i = 0; i < sockets; i++) {
            channels[i] = DatagramChannel.open();
            channels[i].bind(new InetSocketAddress("127.0.0.1", 0));
            channels[i].connect(target);
            channels[i].configureBlocking(false);
            channels[i].register(selector, SelectionKey.OP_READ, i);
            for (int w = 0; w < window; w++) {
                send(channels[i], payload);
            }
            sentAt[i] = System.nanoTime();
            lastAnswer[i] = sentAt[i];
        }
        long end = start + seconds * 1_000_000_000L;
        long nextLossCheck = start + LOSS_NANOS;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            selector.select(Math.max(1, Math.min(50, (end - now) / 1_000_000)));
            var keys = selector.selectedKeys();
            for (var key : keys) {
                int i = (Integer) key.attachment();
                DatagramChannel channel = channels[i];
                int n;
                while (true) {
                    in.clear();
                    try {
                        n = channel.read(in);
                    } catch (IOException e) { // ICMP unreachable: the balancer is not there yet
                        n = 0;
                    }
                    if (n <= 0) {
                        break;
                    }
                    long t = System.nanoTime();
                    answers++;
                    bytes += n;
                    if (window == 1 && sampleCount < MAX_SAMPLES) {
                        samples[sampleCount++] = t - sentAt[i];
                    }
                    lastAnswer[i] = t;
                    sentAt[i] = t;
                    send(channel, payload);
                }
            }
            keys.clear();
            now = System.nanoTime();
            if (now >= nextLossCheck) {
                nextLossCheck = now + LOSS_NANOS;
                for (int i = 0; i < sockets; i++) {
                    if (now - lastAnswer[i] > LOSS_NANOS) { // the whole window is gone: refill it
                        lost += window;
                        for (int w = 0; w < window; w++) {
                            send(channels[i], payload);
                        }
                        sentAt[i] = now;
                        lastAnswer[i] = now;
                    }
                }
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(samples, 0, sampleCount);
        System.out.printf("answers=%d bytes=%d lost=%d seconds=%.3f p50_ms=%.3f p99_ms=%.3f%n", answers, bytes, lost,
                elapsed, percentile(samples, sampleCount, 0.50), percentile(samples, sampleCount, 0.99));
        for (DatagramChannel channel : channels) {
            channel.close();
        }
    }

    private static void send(DatagramChannel channel, ByteBuffer payload) {
        payload.rewind();
        try {
            channel.write(payload);
        } catch (IOException e) {
            // a full buffer or ICMP unreachable: counted as lost by the next check
        }
    }

    private static double percentile(long[] sorted, int count, double q) {
        if (count == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(count - 1, (int) Math.floor(q * count))] / 1e6;
    }
}
