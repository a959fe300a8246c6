package io.convey.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Small blocking TCP helpers for tests. */
public final class Tcp {
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int READ_TIMEOUT_MS = 5000;

    private Tcp() {}

    /** Connects, reads the greeting line of a {@link NamedServer}, closes; null when closed without one. */
    public static String greeting(InetSocketAddress address) throws IOException {
        try (Socket socket = connect(address)) {
            return reader(socket).readLine();
        }
    }

    /**
     * Opens {@code connections} connections one after another and counts which server greeted each, by name
     * in name order; a connection closed without a greeting counts as {@code "null"}.
     */
    public static Map<String, Integer> split(InetSocketAddress address, int connections) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            counts.merge(String.valueOf(greeting(address)), 1, Integer::sum);
        }
        return counts;
    }

    /** Connects, reads the greeting, sends one line and returns {@code "greeting/echo"}. */
    public static String exchange(InetSocketAddress address, String line) throws IOException {
        try (Socket socket = connect(address)) {
            BufferedReader in = reader(socket);
            String greeting = in.readLine();
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return greeting + "/" + in.readLine();
        }
    }

    /**
     * A TCP port free on loopback now, for listeners that need a fixed port (frontends refuse port 0) and for
     * refused addresses; below the ephemeral range, so no connection takes it before its listener ({@link Ports}).
     */
    public static int freeLoopbackPort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** As {@link #freeLoopbackPort()}. */
    public static int freePort() throws IOException {
        int port = Ports.take(Tcp::bindable);
        if (port != 0) {
            return port;
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }
}
