package io.convey.console.testing;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real appliance for the console's tests: the daemon in proxy mode on loopback with two real backends,
 * {@code a} and {@code b} (weight 1 each) in pool {@code web_pool} behind frontend {@code web}.
 */
public final class LiveAppliance implements AutoCloseable {
    private final NamedServer a;
    private final NamedServer b;
    private final String initialText;
    private final RunningDaemon daemon;

    private LiveAppliance(NamedServer a, NamedServer b, String initialText, RunningDaemon daemon) {
        this.a = a;
        this.b = b;
        this.initialText = initialText;
        this.daemon = daemon;
    }

    public static LiveAppliance start(Path dir) throws Exception {
        NamedServer a = new NamedServer("a");
        NamedServer b = new NamedServer("b");
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
        return new LiveAppliance(a, b, text, RunningDaemon.start(dir, text));
    }

    public URI adminUrl() {
        return URI.create(daemon.adminUrl());
    }

    /** The admin server as an operator types it into the console: {@code 127.0.0.1:port}. */
    public String adminAddress() {
        return adminUrl().getAuthority();
    }

    public Path config() {
        return daemon.config();
    }

    public String initialText() {
        return initialText;
    }

    public String configText() throws IOException {
        return daemon.configText();
    }

    public long configVersion() {
        return daemon.version();
    }

    public NamedServer backendA() {
        return a;
    }

    public NamedServer backendB() {
        return b;
    }

    /** Opens {@code connections} connections through frontend {@code web}; counts which backend greeted each. */
    public Map<String, Integer> split(int connections) throws IOException {
        return Tcp.split(daemon.frontend("web"), connections);
    }

    @Override
    public void close() throws IOException {
        try (a; b; daemon) {
            // closed in reverse order: the daemon first, then the backends, also when one close fails
        }
    }
}
