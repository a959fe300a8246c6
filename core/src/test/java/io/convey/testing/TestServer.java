package io.convey.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A blocking loopback server on port 0 that serves each connection on its own virtual thread. */
public final class TestServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    public interface Handler {
        void handle(Socket socket) throws IOException;
    }

    public final AtomicInteger accepted = new AtomicInteger();
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private TestServer(Handler handler) {
        try {
            listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("test-server-accept").start(() -> acceptLoop(handler));
    }

    public static TestServer start(Handler handler) {
        return new TestServer(handler);
    }

    public static TestServer echo() {
        return start(socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void acceptLoop(Handler handler) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                Thread.ofVirtual().start(() -> serve(handler, socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Handler handler, Socket socket) {
        try (socket) {
            handler.handle(socket);
        } catch (IOException e) {
            // The peer went away; the test asserts on what it received.
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
