package io.convey.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A webhook receiver on loopback (the JDK's HTTP server): records every POST and answers 204. */
final class Receiver implements AutoCloseable {
    /** One received request: its headers (first value each, lower-case names) and body. */
    record Request(Map<String, String> headers, byte[] body) {}

    private final HttpServer server;
    final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            requests.add(new Request(headers, body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next request, waiting at most 10 s; fails the test if none came. */
    Request next() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no notification within 10 s");
        }
        return r;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
