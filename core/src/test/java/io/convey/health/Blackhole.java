package io.convey.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A loopback listener whose accept queue is full, so Linux drops further SYNs and connects time out.
 *
 * <p>A listener that merely never accepts is not enough on loopback: the kernel completes handshakes into the
 * accept queue until it is full.
 */
final class Blackhole implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    Blackhole() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(address(), 200);
                fillers.add(filler);
            } catch (SocketTimeoutException full) {
                filler.close();
                return;
            }
        }
        close();
        throw new IllegalStateException("accept queue: never full (expected: full after a few connects)");
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /**
     * How many sockets of this network namespace are waiting for this blackhole to answer their SYN (state
     * SYN_SENT in /proc/net/tcp and tcp6, where a dual-stack socket lists 127.0.0.1 as ::ffff:127.0.0.1).
     */
    long connectsInFlight() {
        String remote = String.format(Locale.ROOT, "0100007F:%04X", listener.getLocalPort());
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (var lines = Files.lines(Path.of(table))) {
                count += lines.skip(1).map(line -> line.trim().split("\\s+"))
                        .filter(fields -> fields[2].endsWith(remote) && fields[3].equals("02"))
                        .count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return count;
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : fillers) {
            filler.close();
        }
        listener.close();
    }
}
