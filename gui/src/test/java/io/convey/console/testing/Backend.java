package io.convey.console.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A loopback TCP backend: greets each connection with its name and a newline, then echoes until the client closes. */
public final class Backend implements AutoCloseable {
    private final String name;
    private final ServerSocket socket;
    private final Thread acceptor;

    public Backend(String name) throws IOException {
        this.name = name;
        this.socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("backend-" + name).start(this::acceptLoop);
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
            out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            in.transferTo(out);
        } catch (IOException e) {
            // the client went away: nothing left to serve
        }
    }

    public String addr() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Stops accepting: health checks to it are refused from now on. */
    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
