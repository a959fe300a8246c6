package io.convey.health;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** One blocking TCP connect-and-close, the unit of every health check. */
final class TcpProbe {
    private TcpProbe() {}

    /**
     * Connects within {@code timeout}, then closes at once without sending data.
     *
     * <p>Blocking: run it on a virtual thread or a worker, never on an event loop. Interrupting the calling
     * virtual thread aborts the connect.
     *
     * @param binding local address to connect from; null lets the kernel choose
     */
    static ProbeResult connect(InetSocketAddress address, Duration timeout, LocalBinding binding) {
        long start = System.nanoTime();
        Socket socket = null;
        try {
            socket = binding == null ? new Socket() : bound(binding);
            socket.connect(address, (int) timeout.toMillis());
            return new ProbeResult(true, since(start), null);
        } catch (IOException e) {
            return new ProbeResult(false, since(start), reason(e, timeout), failure(e));
        } finally {
            closeQuietly(socket);
        }
    }

    /** Socket.connect takes whole milliseconds as an int and treats 0 as "no timeout". */
    static void requireValidTimeout(Duration timeout) {
        if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "timeout: " + timeout.toMillis() + " ms (expected: 1-" + Integer.MAX_VALUE + " ms)");
        }
    }

    /** Maps the exception type, never its text, to a short reason. */
    static String reason(IOException e, Duration timeout) {
        return switch (e) {
            case SocketTimeoutException t -> "timeout after " + timeout.toMillis() + " ms";
            case NoRouteToHostException n -> "no route to host";
            case ConnectException c -> "connect refused";
            case BindException b -> "local bind failed";
            case UnknownHostException u -> "unresolved address";
            case SocketException s -> "socket error";
            default -> "i/o error (" + e.getClass().getSimpleName() + ")";
        };
    }

    /** The same mapping as {@link #reason}, as a stable code for counters. */
    static String failure(IOException e) {
        return switch (e) {
            case SocketTimeoutException t -> "timeout";
            case NoRouteToHostException n -> "no_route";
            case ConnectException c -> "refused";
            case BindException b -> "bind";
            case UnknownHostException u -> "unresolved";
            case SocketException s -> "socket";
            default -> "io";
        };
    }

    /** Binds to the first free port of the range, as the original does for passthrough checks. */
    private static Socket bound(LocalBinding binding) throws IOException {
        if (binding.anyPort()) {
            Socket socket = new Socket();
            bindOrClose(socket, new InetSocketAddress(binding.address(), 0));
            return socket;
        }
        for (int port = binding.firstPort(); port <= binding.lastPort(); port++) {
            Socket socket = new Socket();
            try {
                // A reserved range is small: closing with RST (linger 0) leaves no TIME_WAIT holding the port.
                socket.setSoLinger(true, 0);
                socket.bind(new InetSocketAddress(binding.address(), port));
                return socket;
            } catch (BindException busy) {
                closeQuietly(socket);
            } catch (IOException e) {
                closeQuietly(socket);
                throw e;
            }
        }
        throw new BindException("no free port in " + binding.firstPort() + "-" + binding.lastPort());
    }

    private static void bindOrClose(Socket socket, InetSocketAddress local) throws IOException {
        try {
            socket.bind(local);
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // The check's result is already decided; a failed close changes nothing about the server's health.
        }
    }
}
