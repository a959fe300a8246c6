package io.convey.web;

import io.convey.cli.Daemon;
import io.convey.config.Mode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real proxy-mode daemon started from a TOML file in a temporary directory, with its admin server (and
 * so the dashboard) on a loopback port, plus client helpers to send traffic through a frontend.
 */
public final class Appliance implements AutoCloseable {
    private final Path config;
    private final Daemon daemon;

    private Appliance(Path config, Daemon daemon) {
        this.config = config;
        this.daemon = daemon;
    }

    /** One frontend "web" on a free loopback port, pool "app" (round robin) with the given servers at weight 1. */
    public static String twoServerConfig(NamedServer a, NamedServer b) {
        return """
                # the test appliance
                [frontends.web]
                listen_addr = "127.0.0.1:0"
                backend = "app"

                [backends.app]
                health_check_interval = 1

                [backends.app.servers.a]
                addr = "%s"
                weight = 1

                [backends.app.servers.b]
                addr = "%s"
                weight = 1

                [admin]
                listen_addr = "127.0.0.1:0"
                """.formatted(a.addr(), b.addr());
    }

    public static Appliance start(Path dir, String toml) throws IOException, Daemon.StartupException {
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, toml, StandardCharsets.UTF_8);
        return new Appliance(config, Daemon.start(Mode.PROXY, config));
    }

    public String url() {
        return "http://127.0.0.1:" + daemon.adminAddress().getPort() + "/";
    }

    public Path config() {
        return config;
    }

    public String configText() throws IOException {
        return Files.readString(config, StandardCharsets.UTF_8);
    }

    /** Rewrites the config file in place, as an editor does. */
    public void rewrite(String toml) throws IOException {
        Files.writeString(config, toml, StandardCharsets.UTF_8);
    }

    public long version() {
        return daemon.engine().version();
    }

    public InetSocketAddress frontend(String name) {
        return daemon.engine().boundAddress(name);
    }

    /** Opens a connection through the frontend and answers the greeting (the server's name). */
    public String greeting(String frontend) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(frontend(frontend), 2000);
            socket.setSoTimeout(5000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    /** How many of {@code count} new connections each server answered. */
    public Map<String, Integer> split(String frontend, int count) throws IOException {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            seen.merge(greeting(frontend), 1, Integer::sum);
        }
        return seen;
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
