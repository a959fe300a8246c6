package io.convey.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** Client connections that stay open, for tests of limits and queues: each reads its greeting in the background. */
final class Clients {
    private Clients() {}

    /** One open client connection; {@link #greeting} completes with the server's name, or null at EOF. */
    static final class Held implements AutoCloseable {
        final Socket socket;
        final CompletableFuture<String> greeting = new CompletableFuture<>();

        Held(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.connect(address, 5000);
            Thread.ofVirtual().start(() -> {
                try {
                    var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    greeting.complete(in.readLine());
                } catch (IOException e) {
                    greeting.complete(null);
                }
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Held open(InetSocketAddress address) throws IOException {
        return new Held(address);
    }
}
