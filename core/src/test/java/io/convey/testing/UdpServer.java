package io.convey.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP server on loopback for tests: answers each datagram with {@code replies} datagrams
 * {@code "<name>:<payload>"} (0 replies: a silent server), and remembers the addresses it heard from.
 */
public final class UdpServer implements AutoCloseable {
    private final String name;
    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger received = new AtomicInteger();
    private final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
    private volatile int replies;

    public UdpServer(String name) throws IOException {
        this(name, 1, 0);
    }

    public UdpServer(String name, int replies) throws IOException {
        this(name, replies, 0);
    }

    /** On {@code port} (0: any free one). */
    public UdpServer(String name, int replies, int port) throws IOException {
        this(name, replies, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** On {@code address} (::1 for an IPv6 server). */
    public UdpServer(String name, int replies, InetSocketAddress address) throws IOException {
        this.name = name;
        this.replies = replies;
        this.socket = new DatagramSocket(address);
        this.thread = Thread.ofPlatform().daemon().name("udp server " + name).start(this::serve);
    }

    private void serve() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(in);
                received.incrementAndGet();
                peers.add((InetSocketAddress) in.getSocketAddress());
                byte[] answer = (name + ":" + new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < replies; i++) {
                    socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // one datagram lost; keep serving
            }
        }
    }

    /** Answers each later datagram this many times (0: silent). */
    public void replies(int count) {
        replies = count;
    }

    public String name() {
        return name;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String addr() {
        InetAddress ip = socket.getLocalAddress();
        return (ip instanceof java.net.Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress()) + ":"
                + port();
    }

    public int received() {
        return received.get();
    }

    /** The source addresses (the balancer's session sockets) datagrams came from. */
    public Set<InetSocketAddress> peers() {
        return Set.copyOf(peers);
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
