package io.convey.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP backend for tests: on each connection it writes its name and a newline, then echoes
 * whatever the client sends until the client closes its side; it counts the connections it accepted.
 */
public final class NamedServer implements AutoCloseable {
    private final String name;
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    public NamedServer(String name) throws IOException {
        this(name, 0);
    }

    public NamedServer(String name, int port) throws IOException {
        this.name = name;
        this.socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        this.acceptor = Thread.ofVirtual().name("named-" + name).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            in.transferTo(out);
            client.shutdownOutput();
        } catch (IOException e) {
            // the client went away; nothing to serve
        }
    }

    public String name() {
        return name;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public String addr() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Stops accepting: new connections and health checks are refused; established connections stay open. */
    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
