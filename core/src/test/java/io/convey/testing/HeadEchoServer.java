package io.convey.testing;

import java.io.ByteArrayOutputStream;
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
 * A loopback HTTP/1.0 server for tests that answers each request with the bytes it received up to the end of the
 * request head: a PROXY protocol v1 line before it, or headers a proxy added (X-Forwarded-For), show in the answer.
 */
public final class HeadEchoServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger requests = new AtomicInteger();

    public HeadEchoServer() throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        Thread.ofVirtual().name("head-echo").start(this::acceptLoop);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    public String addr() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Requests answered (connections that sent a whole head). */
    public int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                byte[] so = head.toByteArray();
                int n = so.length;
                if (n >= 4 && so[n - 4] == '\r' && so[n - 3] == '\n' && so[n - 2] == '\r' && so[n - 1] == '\n') {
                    requests.incrementAndGet();
                    out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + n + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(so);
                    out.flush();
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /**
     * Sends an HTTP/1.0 GET from {@code local} (a loopback address of the client's choice, port 0) to {@code to} and
     * returns the whole answer, or null when the connection was closed without one.
     */
    public static String get(InetSocketAddress local, InetSocketAddress to) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(local);
            s.connect(to, 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readAllBytes();
            return answer.length == 0 ? null : new String(answer, StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
