package io.convey.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;

/**
 * Debian's {@code prometheus} as a process of the test: its own config, data directory and loopback port, so a
 * system instance left by the package's installation (port 9090, /var/lib/prometheus) is never involved. Queries
 * go through its HTTP API from threads made by {@code threads}, which may live in another network namespace.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final InetSocketAddress listen;
    private final ExecutorService client;

    private PrometheusServer(Process process, Path log, InetSocketAddress listen, ThreadFactory threads) {
        this.process = process;
        this.log = log;
        this.listen = listen;
        this.client = Executors.newSingleThreadExecutor(threads);
    }

    /**
     * Starts Prometheus scraping every second with {@code scrapeJob} (a YAML list item under scrape_configs, indented
     * by two spaces) and evaluating {@code ruleFiles}.
     *
     * @param prefix  command prefix, e.g. {@code ip netns exec lb}; empty to run here
     * @param threads threads that can reach {@code listen}
     */
    public static PrometheusServer start(Path dir, List<String> prefix, InetSocketAddress listen, String scrapeJob,
            List<Path> ruleFiles, ThreadFactory threads) throws IOException {
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                """);
        ruleFiles.forEach(f -> config.append("  - ").append(f.toAbsolutePath()).append('\n'));
        config.append("scrape_configs:\n").append(scrapeJob);
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        Path data = Files.createDirectories(dir.resolve("prometheus-data"));
        Path log = dir.resolve("prometheus.log");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("prometheus", "--config.file=" + file, "--storage.tsdb.path=" + data,
                "--web.listen-address=" + listen.getHostString() + ":" + listen.getPort(), "--log.level=warn"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PrometheusServer(process, log, listen, threads);
    }

    /** Runs {@code promtool check rules} on {@code file}; returns its output, failing on a non-zero exit. */
    public static String checkRules(Path file) throws IOException, InterruptedException {
        Process check = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (check.waitFor() != 0) {
            throw new AssertionError("promtool check rules " + file + ":\n" + output);
        }
        return output;
    }

    /** The result of an instant query ({@code data.result}); fails when Prometheus answers anything but success. */
    public JsonNode query(String expr) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("query " + expr + ": " + answer);
        }
        return answer.at("/data/result");
    }

    /** GET on the HTTP API, from one of the client threads; the body as JSON. */
    public JsonNode get(String path) {
        Callable<String> call = () -> {
            try (Socket s = new Socket()) {
                s.connect(listen, 5000);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: prometheus\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        };
        try {
            Future<String> response = client.submit(call);
            String text = response.get(20, TimeUnit.SECONDS);
            int body = text.indexOf("\r\n\r\n");
            return JSON.readTree(body < 0 ? "{}" : text.substring(body + 4));
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " failed; prometheus log:\n" + log(), e);
        }
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
