package io.convey.cli;

import com.sun.net.httpserver.HttpServer;
import io.convey.admin.auth.AdminAuth;
import io.convey.config.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code convey --demo}: three small HTTP backends on loopback, a proxy frontend in front of them, light
 * background traffic and the stats/admin server, with a config file the newcomer can edit live.
 */
public final class Demo {
    static final int PREFERRED_FRONTEND_PORT = 8000;
    static final int PREFERRED_ADMIN_PORT = 7000;

    private Demo() {}

    public static int run(PrintStream out, PrintStream err) throws IOException {
        List<HttpServer> backends = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            backends.add(backend("backend-" + i));
        }
        int frontendPort = freePort(PREFERRED_FRONTEND_PORT);
        int adminPort = freePort(PREFERRED_ADMIN_PORT);
        Path dir = Files.createTempDirectory("convey-demo");
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, config(frontendPort, adminPort, backends), StandardCharsets.UTF_8);
        Daemon daemon;
        try {
            daemon = Daemon.start(Mode.PROXY, config);
        } catch (Daemon.StartupException e) {
            e.problems().forEach(err::println);
            backends.forEach(b -> b.stop(0));
            deleteScratch(dir);
            return ExitCodes.BAD_CONFIG;
        }
        ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-traffic");
            t.setDaemon(true);
            return t;
        });
        InetSocketAddress frontend = new InetSocketAddress(InetAddress.getLoopbackAddress(), frontendPort);
        traffic.scheduleWithFixedDelay(() -> burst(frontend), 200, 250, TimeUnit.MILLISECONDS);
        String admin = "http://127.0.0.1:" + adminPort;
        String password = Files.readString(daemon.auth().stateDir().resolve(AdminAuth.INITIAL_PASSWORD_FILE),
                StandardCharsets.UTF_8).strip();
        out.println("""
                Convey demo is running (Ctrl-C stops it).
                  frontend   http://127.0.0.1:%d/  -> 3 backends (weights 1, 2, 3), light traffic every 250 ms
                  dashboard  %s/   (plain HTTP: the demo listens on loopback only)
                  login      user admin   password %s
                  stats      %s/stats   metrics %s/metrics   API %s/api/v1/status (with a login)
                  config     %s  (edit and save it: the change is applied live)
                """.formatted(frontendPort, admin, password, admin, admin, admin, config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            traffic.shutdownNow();
            daemon.close();
            backends.forEach(b -> b.stop(0));
            deleteScratch(dir);
            stopped.countDown();
        }, "demo-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** One to four short HTTP/1.0 requests, each on its own connection, so connection charts move. */
    /**
     * Removes the demo's directory (its config, history and initial password): each run makes a new one, and a
     * newcomer's {@code /tmp} should not collect them. A file that will not go is left; the demo is stopping anyway.
     */
    private static void deleteScratch(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left behind: nothing depends on it
        }
    }

    private static void burst(InetSocketAddress frontend) {
        int requests = 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(4);
        for (int i = 0; i < requests; i++) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(frontend, 2000);
                socket.setSoTimeout(2000);
                socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: demo\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // The demo keeps going when an operator disables servers; failures show on the dashboard.
                return;
            }
        }
    }

    static String config(int frontendPort, int adminPort, List<HttpServer> backends) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backends.size(); i++) {
            servers.append("""

                    [backends.web.servers.backend%d]
                    addr = "127.0.0.1:%d"
                    weight = %d
                    """.formatted(i + 1, backends.get(i).getAddress().getPort(), i + 1));
        }
        return """
                # Convey demo appliance: edit and save this file, the change is applied within a second.

                [frontends.http]
                listen_addr = "127.0.0.1:%d"
                backend = "web"

                [backends.web]
                health_check_interval = 1
                algorithm = "round_robin"
                %s
                [stats]
                port = "%d"

                [admin]
                listen_addr = "127.0.0.1:%d"
                # plain HTTP is allowed on loopback only; a real appliance keeps the default tls = "on"
                tls = "off"
                """.formatted(frontendPort, servers, adminPort, adminPort);
    }

    static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            byte[] body = ("Hello from " + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    /** The preferred port when it is free on loopback, else any free port. */
    static int freePort(int preferred) {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException again) {
                throw new java.io.UncheckedIOException(again);
            }
        }
    }
}
