package io.convey.console.testing;

import io.convey.cli.Daemon;
import io.convey.config.Mode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real appliance for the console's tests: the daemon in proxy mode on loopback with two real backends,
 * {@code a} and {@code b} (weight 1 each) in pool {@code web_pool} behind frontend {@code web}.
 */
public final class LiveAppliance implements AutoCloseable {
    private final Backend a;
    private final Backend b;
    private final Path config;
    private final String initialText;
    private final Daemon daemon;

    private LiveAppliance(Backend a, Backend b, Path config, String initialText, Daemon daemon) {
        this.a = a;
        this.b = b;
        this.config = config;
        this.initialText = initialText;
        this.daemon = daemon;
    }

    public static LiveAppliance start(Path dir) throws Exception {
        Backend a = new Backend("a");
        Backend b = new Backend("b");
        String text = """
                # web traffic for the console tests
                [frontends.web]
                listen_addr = "127.0.0.1:0"
                backend = "web_pool"

                [backends.web_pool]
                algorithm = "round_robin"
                health_check_interval_ms = 200
                health_check_timeout_ms = 500
                rise = 1
                fall = 1

                [backends.web_pool.servers.a]
                addr = "%s"
                weight = 1

                [backends.web_pool.servers.b]
                addr = "%s"
                weight = 1

                [stats]
                port = "0"

                [admin]
                listen_addr = "127.0.0.1:0"
                """.formatted(a.addr(), b.addr());
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, text, StandardCharsets.UTF_8);
        return new LiveAppliance(a, b, config, text, Daemon.start(Mode.PROXY, config));
    }

    public URI adminUrl() {
        return URI.create("http://127.0.0.1:" + daemon.adminAddress().getPort());
    }

    public String adminAddress() {
        return "127.0.0.1:" + daemon.adminAddress().getPort();
    }

    public Path config() {
        return config;
    }

    public String initialText() {
        return initialText;
    }

    public String configText() throws IOException {
        return Files.readString(config, StandardCharsets.UTF_8);
    }

    public long configVersion() {
        return daemon.engine().version();
    }

    public Backend backendA() {
        return a;
    }

    public Backend backendB() {
        return b;
    }

    /** Opens {@code connections} connections through frontend {@code web}; counts which backend greeted each. */
    public Map<String, Integer> split(int connections) throws IOException {
        InetSocketAddress frontend = daemon.engine().boundAddress("web");
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(frontend, 2000);
                socket.setSoTimeout(5000);
                String name = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                counts.merge(String.valueOf(name), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public void close() throws IOException {
        daemon.close();
        a.close();
        b.close();
    }
}
