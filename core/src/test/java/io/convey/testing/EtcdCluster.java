package io.convey.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Real etcd members (Debian's {@code etcd-server}) on free loopback ports, each with its data directory under a
 * test's temporary directory; members can be killed and restarted on the same ports and data. {@link #close()}
 * kills every process still running (call it from an {@code @AfterAll} or a try-with-resources).
 */
public final class EtcdCluster implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path dir;
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> peerPorts = new ArrayList<>();
    private final Process[] processes;
    private final String scheme;
    private final List<String> clientTls;

    private EtcdCluster(Path dir, int members, List<String> clientTls) {
        this.dir = dir;
        this.scheme = clientTls.isEmpty() ? "http" : "https";
        this.clientTls = List.copyOf(clientTls);
        this.processes = new Process[members];
        for (int i = 0; i < members; i++) {
            clientPorts.add(Tcp.freeLoopbackPort());
            peerPorts.add(Tcp.freeLoopbackPort());
        }
    }

    /** Starts {@code members} etcd members forming one cluster and waits until it answers. */
    public static EtcdCluster start(Path dir, int members) throws IOException {
        return start(new EtcdCluster(dir, members, List.of()));
    }

    /**
     * One member whose client URL is HTTPS with this certificate and key, and that asks clients for a certificate
     * signed by {@code ca} ({@code --client-cert-auth}).
     */
    public static EtcdCluster startTls(Path dir, Path cert, Path key, Path ca) throws IOException {
        return start(new EtcdCluster(dir, 1, List.of("--cert-file", cert.toString(), "--key-file", key.toString(),
                "--trusted-ca-file", ca.toString(), "--client-cert-auth")));
    }

    private static EtcdCluster start(EtcdCluster cluster) throws IOException {
        try {
            for (int i = 0; i < cluster.processes.length; i++) {
                cluster.launch(i);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The client URLs, one per member. */
    public List<URI> endpoints() {
        return clientPorts.stream().map(p -> URI.create(scheme + "://127.0.0.1:" + p)).toList();
    }

    /** The client URLs as a TOML array, for {@code etcd_endpoints}. */
    public String endpointsToml() {
        return endpoints().stream().map(u -> "\"" + u + "\"").reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]")
                .orElseThrow();
    }

    /** Kills one member at once (SIGKILL), as a crash would. */
    public void kill(int member) throws InterruptedException {
        Process p = processes[member];
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            processes[member] = null;
        }
    }

    /** Starts a killed member again on its ports and data directory. */
    public void restart(int member) throws IOException {
        launch(member);
    }

    /** Waits until every running member says the cluster is healthy (it has a leader and answers). */
    public void awaitHealthy() {
        Awaitility.await("etcd healthy").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (int i = 0; i < processes.length; i++) {
                        if (processes[i] != null && !healthy(i)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Up and with a leader; with TLS, that the client port accepts connections (etcd starts its listeners last). */
    private boolean healthy(int member) {
        int port = clientPorts.get(member);
        if (!clientTls.isEmpty()) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void launch(int i) throws IOException {
        StringBuilder initial = new StringBuilder();
        for (int j = 0; j < processes.length; j++) {
            initial.append(j == 0 ? "" : ",").append("m").append(j).append("=http://127.0.0.1:").append(peerPorts.get(j));
        }
        String client = scheme + "://127.0.0.1:" + clientPorts.get(i);
        String peer = "http://127.0.0.1:" + peerPorts.get(i);
        Path data = dir.resolve("etcd-m" + i);
        Files.createDirectories(data);
        List<String> command = new ArrayList<>(List.of("etcd", "--name", "m" + i, "--data-dir", data.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", initial.toString(),
                "--initial-cluster-state", "new", "--initial-cluster-token", "convey-test"));
        command.addAll(clientTls);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd-m" + i + ".log").toFile()));
        processes[i] = builder.start();
    }

    @Override
    public void close() {
        for (int i = 0; i < processes.length; i++) {
            try {
                kill(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
