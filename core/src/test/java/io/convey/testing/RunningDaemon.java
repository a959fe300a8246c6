package io.convey.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.cli.Daemon;
import io.convey.config.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A real proxy-mode daemon started from a TOML text written to {@code convey.toml} in a temporary directory,
 * with its admin server (API and dashboard) on a loopback port, for scenario tests in every module.
 */
public final class RunningDaemon implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path config;
    private final Daemon daemon;

    private RunningDaemon(Path config, Daemon daemon) {
        this.config = config;
        this.daemon = daemon;
    }

    public static RunningDaemon start(Path dir, String toml) throws IOException, Daemon.StartupException {
        return start(dir, toml, InetAddress::isLoopbackAddress);
    }

    /** As {@link #start(Path, String)}, trusting API writes without a token only from {@code trustedWriters}. */
    public static RunningDaemon start(Path dir, String toml, Predicate<InetAddress> trustedWriters)
            throws IOException, Daemon.StartupException {
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, toml, StandardCharsets.UTF_8);
        return new RunningDaemon(config, Daemon.start(Mode.PROXY, config, trustedWriters));
    }

    public Daemon daemon() {
        return daemon;
    }

    public Path config() {
        return config;
    }

    /** The version of the config the engine runs: 1 after start, one more for every applied change. */
    public long version() {
        return daemon.engine().version();
    }

    public InetSocketAddress frontend(String name) {
        return daemon.engine().boundAddress(name);
    }

    /** The admin server's base URL, without a trailing slash: {@code http://127.0.0.1:port}. */
    public String adminUrl() {
        return "http://127.0.0.1:" + daemon.adminAddress().getPort();
    }

    /** The config file as it is now (the daemon writes API edits back to it). */
    public String configText() throws IOException {
        return Files.readString(config, StandardCharsets.UTF_8);
    }

    /** Rewrites the config file the way an editor that saves in place does. */
    public void rewrite(String toml) throws IOException {
        Files.writeString(config, toml, StandardCharsets.UTF_8);
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        daemon.close();
    }
}
