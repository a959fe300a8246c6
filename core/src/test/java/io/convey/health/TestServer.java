package io.convey.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback TCP server that can be stopped and started again on the same port, counting the connections it accepts. */
final class TestServer implements AutoCloseable {
    private final InetAddress host = InetAddress.getLoopbackAddress();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile ServerSocket listener;
    /**
     * Holds the port while stopped: a bound socket that does not listen gets connects refused, and keeps the
     * port from other processes and from a checker's own source port (a loopback self-connect would succeed).
     */
    private Socket placeholder;
    private Thread acceptor;

    private TestServer() throws IOException {
        listener = new ServerSocket(0, 50, host);
        port = listener.getLocalPort();
        acceptLoop(listener);
    }

    static TestServer start() throws IOException {
        return new TestServer();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    int accepted() {
        return accepted.get();
    }

    /** Remote addresses of accepted connections, in order. */
    List<InetSocketAddress> peers() {
        return List.copyOf(peers);
    }

    /** Closes the listener: from now on connects are refused. */
    synchronized void stop() throws IOException {
        if (listener.isClosed()) {
            return;
        }
        listener.close();
        join(acceptor);
        for (Socket socket : open) {
            socket.close();
        }
        placeholder = new Socket();
        placeholder.setReuseAddress(true);
        placeholder.bind(new InetSocketAddress(host, port));
    }

    /** Listens again on the same port. */
    synchronized void restart() throws IOException {
        placeholder.close();
        ServerSocket next = new ServerSocket();
        next.setReuseAddress(true);
        next.bind(new InetSocketAddress(host, port), 50);
        listener = next;
        acceptLoop(next);
    }

    /** Closing a listener that a virtual thread is accepting on releases the port only once that thread leaves. */
    private static void join(Thread thread) throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping", e);
        }
    }

    private void acceptLoop(ServerSocket socket) {
        acceptor = Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    accepted.incrementAndGet();
                    peers.add((InetSocketAddress) connection.getRemoteSocketAddress());
                    open.add(connection);
                    Thread.ofVirtual().start(() -> drain(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Reads until the peer closes, so that the checker, not the server, closes first. */
    private void drain(Socket connection) {
        try (connection; InputStream in = connection.getInputStream()) {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // reset by the peer or closed by stop(): either way the connection is over
        } finally {
            open.remove(connection);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        stop();
        placeholder.close();
    }
}
