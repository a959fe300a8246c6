package io.convey.packet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal HTTP/1.0 server for namespace tests: {@code GET /bytes/<n>} answers n deterministic bytes,
 * {@code GET /hold} answers headers and then keeps the connection open until the client closes it,
 * {@code PUT /sink/<n>} reads an n-byte body and answers its size and CRC-32 in {@code X-Bytes} and {@code X-Crc}.
 * Every response names the server in {@code X-Server}.
 */
final class TinyHttpServer implements AutoCloseable {
    final String name;
    final AtomicInteger requests = new AtomicInteger();
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    TinyHttpServer(String name, String ns, String ip, int port) throws Exception {
        this.name = name;
        this.listener = NetNamespaces.callIn(ns, () -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), port), 512);
            return s;
        });
        Thread.ofPlatform().daemon().name("tiny-http-" + name).start(this::acceptLoop);
    }

    /** Byte i of every body: deterministic, not periodic at small strides. */
    static byte bodyByte(long i) {
        return (byte) (i * 31 + (i >>> 9) + (i >>> 17));
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            String request = readHead(in);
            requests.incrementAndGet();
            String path = request.split(" ")[1];
            if (path.equals("/hold")) {
                out.write(("HTTP/1.0 200 OK\r\nX-Server: " + name + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (in.read() >= 0) {
                    // wait for the client to go away
                }
                return;
            }
            if (path.startsWith("/sink/")) {
                sink(in, out, Long.parseLong(path.substring("/sink/".length())));
                return;
            }
            long size = Long.parseLong(path.substring("/bytes/".length()));
            out.write(("HTTP/1.0 200 OK\r\nX-Server: " + name + "\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < size; ) {
                int n = (int) Math.min(chunk.length, size - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = bodyByte(sent + i);
                }
                out.write(chunk, 0, n);
                sent += n;
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing to do
        } finally {
            open.remove(s);
        }
    }

    private void sink(InputStream in, OutputStream out, long size) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < size) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - total));
            if (n < 0) {
                break;
            }
            crc.update(buffer, 0, n);
            total += n;
        }
        out.write(("HTTP/1.0 200 OK\r\nX-Server: " + name + "\r\nX-Bytes: " + total + "\r\nX-Crc: " + crc.getValue()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in headers: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
