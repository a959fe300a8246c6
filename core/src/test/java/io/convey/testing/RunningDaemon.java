package io.convey.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.admin.auth.AdminAuth;
import io.convey.admin.auth.TlsMaterial;
import io.convey.cli.Daemon;
import io.convey.config.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real proxy-mode daemon started from a TOML text written to {@code convey.toml} in a temporary directory,
 * with the DEFAULT admin setup (HTTPS with the generated certificate, the generated admin password), for
 * scenario tests in every module. It logs in as a user does: reads {@code initial-admin-password}, calls
 * {@code POST /api/v1/login} with a {@code token_name} and sends that bearer token; its HTTP client trusts
 * exactly the generated certificate (like {@code curl --cacert}).
 */
public final class RunningDaemon implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path config;
    private final Daemon daemon;
    private final SSLContext sslContext;
    private final HttpClient http;
    private final String adminPassword;
    private final String token;

    private RunningDaemon(Path config, Daemon daemon) throws IOException {
        this.config = config;
        this.daemon = daemon;
        this.sslContext = daemon.tls().map(t -> trusting(t.identity().certificate())).orElse(null);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
        Path passwordFile = daemon.auth().stateDir().resolve(AdminAuth.INITIAL_PASSWORD_FILE);
        this.adminPassword = Files.exists(passwordFile) ? Files.readString(passwordFile, StandardCharsets.UTF_8).strip() : null;
        this.token = adminPassword == null ? null : login("admin", adminPassword, "test fixture");
    }

    public static RunningDaemon start(Path dir, String toml) throws IOException, Daemon.StartupException {
        Path config = dir.resolve("convey.toml");
        Files.writeString(config, toml, StandardCharsets.UTF_8);
        Daemon daemon = Daemon.start(Mode.PROXY, config);
        try {
            return new RunningDaemon(config, daemon);
        } catch (IOException | RuntimeException e) {
            daemon.close();
            throw e;
        }
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

    /** The admin server's base URL, without a trailing slash: {@code https://127.0.0.1:port}. */
    public String adminUrl() {
        return (sslContext != null ? "https" : "http") + "://127.0.0.1:" + daemon.adminAddress().getPort();
    }

    /** The first-start password of user {@code admin} (from {@code <state_dir>/initial-admin-password}). */
    public String adminPassword() {
        return adminPassword;
    }

    /** The API token the fixture logged in with (user admin). */
    public String token() {
        return token;
    }

    /** The admin listener's certificate (the generated one by default). */
    public X509Certificate certificate() {
        return daemon.tls().orElseThrow().identity().certificate();
    }

    public Path certificateFile() {
        return daemon.tls().orElseThrow().certFile();
    }

    public String certificatePem() {
        try {
            return Files.readString(certificateFile(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code AB:CD:...}, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public String fingerprint() {
        return TlsMaterial.fingerprint(certificate());
    }

    /**
     * Base64 of the SHA-256 of the certificate's public key (SPKI), what Chromium's
     * {@code --ignore-certificate-errors-spki-list} takes to trust exactly this key.
     */
    public String spkiSha256Base64() {
        try {
            return java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(certificate().getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** An SSL context trusting exactly the admin certificate. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** An HTTP client trusting exactly the admin certificate (no credential of its own). */
    public HttpClient httpClient() {
        return http;
    }

    /** The state directory (certificate, tokens, initial password, audit log). */
    public Path stateDir() {
        return daemon.auth().stateDir();
    }

    /** Logs in with a password and returns a new API token named {@code tokenName}. */
    public String login(String user, String password, String tokenName) throws IOException {
        HttpResponse<String> response = send("POST", "/api/v1/login", null, JSON.writeValueAsString(Map.of("user", user,
                "password", password, "token_name", tokenName)), "Content-Type", "application/json");
        if (response.statusCode() != 201) {
            throw new IOException("login of " + user + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("token").asText();
    }

    /** Adds a user (as admin, through the API) and returns an API token of theirs. */
    public String userToken(String name, String role) throws IOException {
        String password = "password-of-" + name;
        HttpResponse<String> response = send("POST", "/api/v1/users", token, JSON.writeValueAsString(Map.of("name", name,
                "role", role, "password", password)), "Content-Type", "application/json");
        if (response.statusCode() != 201) {
            throw new IOException("adding user " + name + " answered " + response.statusCode() + ": " + response.body());
        }
        return login(name, password, name + " token");
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

    /** A GET with the fixture's admin token. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, token, null);
    }

    /**
     * Sends a request with {@code bearer} (none when null); {@code headers} are name, value pairs.
     */
    public HttpResponse<String> send(String method, String path, String bearer, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context whose only trust anchor is {@code certificate}. */
    public static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("admin", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("a trust store of one certificate", e);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}
