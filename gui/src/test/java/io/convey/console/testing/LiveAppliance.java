package io.convey.console.testing;

import io.convey.console.client.AdminClient;
import io.convey.console.client.Trust;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A real appliance for the console's tests: the daemon in proxy mode on loopback with two real backends,
 * {@code a} and {@code b} (weight 1 each) in pool {@code web_pool} behind frontend {@code web}, and its default
 * admin setup: HTTPS with the certificate it generates, and the user {@code admin} with the password it generates.
 */
public final class LiveAppliance implements AutoCloseable {
    private final NamedServer a;
    private final NamedServer b;
    private final String initialText;
    private final Path dir;
    private RunningDaemon daemon;

    private LiveAppliance(NamedServer a, NamedServer b, String initialText, Path dir, RunningDaemon daemon) {
        this.a = a;
        this.b = b;
        this.initialText = initialText;
        this.dir = dir;
        this.daemon = daemon;
    }

    /** Listeners on free ports found first: the admin port stays the same across {@link #restartWithNewCertificate}. */
    public static LiveAppliance start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** Like {@link #start(Path)}, with more tables (such as {@code [vrrp]}) at the end of the config. */
    public static LiveAppliance start(Path dir, String moreSections) throws Exception {
        NamedServer a = new NamedServer("a");
        NamedServer b = new NamedServer("b");
        String text = """
                # web traffic for the console tests
                [frontends.web]
                listen_addr = "127.0.0.1:%d"
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
                listen_addr = "127.0.0.1:%d"
                """.formatted(Tcp.freePort(), a.addr(), b.addr(), Tcp.freePort()) + moreSections;
        return new LiveAppliance(a, b, text, dir, RunningDaemon.start(dir, text));
    }

    /** The admin server's address: {@code https://127.0.0.1:port}. */
    public URI adminUrl() {
        return URI.create(daemon.adminUrl());
    }

    /** The password the appliance generated for {@code admin} at its first start. */
    public String adminPassword() throws IOException {
        return daemon.adminPassword();
    }

    /** The SHA-256 fingerprint of the certificate the appliance serves now (AB:CD:...). */
    public String fingerprint() {
        return daemon.fingerprint();
    }

    /** A client logged in as {@code admin} and trusting exactly the appliance's certificate, for the tests' own calls. */
    public AdminClient client() {
        String token = daemon.token();
        return new AdminClient(adminUrl(), new Trust.Pinned(fingerprint()), () -> Optional.of(token));
    }

    /** Adds a user of {@code role} ({@code viewer}, {@code operator}, {@code admin}) through the API, as an admin does. */
    public void addUser(String name, String role, String password) throws Exception {
        client().addUser(name, role, password).get();
    }

    /**
     * Stops the daemon, deletes its generated certificate and key from its state directory, and starts it again on
     * the same config and admin port: it serves a new certificate, as after an operator's rotation (or an attack).
     */
    public void restartWithNewCertificate() throws Exception {
        String before = fingerprint();
        daemon.close();
        Path state = daemon.stateDir();
        Files.delete(state.resolve("admin-cert.pem"));
        Files.delete(state.resolve("admin-key.pem"));
        daemon = RunningDaemon.start(dir, configText());
        if (fingerprint().equals(before)) {
            throw new AssertionError("the restarted appliance serves the same certificate");
        }
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

    /** Where frontend {@code web} listens. */
    public java.net.InetSocketAddress frontend() {
        return daemon.frontend("web");
    }

    /** Opens {@code connections} connections through frontend {@code web}; counts which backend greeted each. */
    public Map<String, Integer> split(int connections) throws IOException {
        return Tcp.split(daemon.frontend("web"), connections);
    }

    @Override
    public void close() throws IOException {
        RunningDaemon running = daemon;
        try (a; b; running) {
            // closed in reverse order: the daemon first, then the backends, also when one close fails
        }
    }
}
