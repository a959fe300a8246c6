package io.convey.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A UDP client socket on loopback for tests: send a text, read answers with their source address. */
public final class Udp implements AutoCloseable {
    private static final int READ_TIMEOUT_MS = 3000;
    private final DatagramSocket socket;

    /** A client on a port of its own. */
    public Udp() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** A client on {@code address} (another loopback address is another client to Maglev). */
    public Udp(InetAddress address) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(address, 0));
        socket.setSoTimeout(READ_TIMEOUT_MS);
    }

    /**
     * A UDP port free on loopback now (frontends refuse port 0); below the ephemeral range, so no socket bound to port
     * 0 takes it before its frontend ({@link Ports}).
     */
    public static int freeLoopbackPort() {
        int port = Ports.take(Udp::bindable);
        if (port != 0) {
            return port;
        }
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean bindable(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public void send(InetSocketAddress to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next answer, or null when none comes within a few seconds. */
    public Answer receive() throws IOException {
        return receive(READ_TIMEOUT_MS);
    }

    /** The next answer, or null when none comes within {@code millis}. */
    public Answer receive(int millis) throws IOException {
        byte[] buffer = new byte[65_535];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout(millis);
        try {
            socket.receive(in);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
        return new Answer(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8),
                (InetSocketAddress) in.getSocketAddress());
    }

    /** Sends {@code text} and returns the first answer's text, or null. */
    public String ask(InetSocketAddress to, String text) throws IOException {
        send(to, text);
        Answer answer = receive();
        return answer == null ? null : answer.text();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }

    /** One datagram received, with where it came from. */
    public record Answer(String text, InetSocketAddress from) {}
}
