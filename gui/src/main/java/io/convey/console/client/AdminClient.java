package io.convey.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The console's whole view of an appliance: the admin REST API over {@code java.net.http}. Every call is
 * asynchronous and completes on the HTTP client's threads, never on the FX thread.
 */
public final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TOML = "application/toml; charset=utf-8";

    private final URI base;
    private final HttpClient http;
    private final Supplier<Optional<String>> token;

    /**
     * A client for the appliance whose admin server is at {@code base} (e.g. {@code https://10.0.0.5:7000}),
     * trusting its certificate as {@code trust} says. Each request sends the bearer token {@code token} gives then
     * (it may change after a new login); it is called on the HTTP client's threads.
     */
    public AdminClient(URI base, Trust trust, Supplier<Optional<String>> token) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        // HTTP/1.1: the default h2c upgrade attempt on plain http confuses long-lived SSE responses.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
                .sslContext(CertificateTrust.sslContext(trust)).build();
    }

    public URI base() {
        return base;
    }

    /** Logs in with user and password and receives a new API token named {@code tokenName}. */
    public CompletableFuture<Api.Login> login(String user, String password, String tokenName) {
        Map<String, Object> body = Map.of("user", user, "password", password, "token_name", tokenName);
        return write("POST", "api/v1/login", body, Api.Login.class);
    }

    /** Who the credential is and what role it acts with. */
    public CompletableFuture<Api.Session> session() {
        return get("api/v1/session", Api.Session.class);
    }

    public CompletableFuture<List<Api.User>> users() {
        return get("api/v1/users", new TypeReference<List<Api.User>>() { });
    }

    public CompletableFuture<Void> addUser(String name, String role, String password) {
        return writeOnly("POST", "api/v1/users", Map.of("name", name, "role", role, "password", password));
    }

    /** PATCH of a user: any of {@code role}, {@code password}. */
    public CompletableFuture<Void> updateUser(String name, Map<String, Object> change) {
        return writeOnly("PATCH", "api/v1/users/" + seg(name), change);
    }

    public CompletableFuture<Void> removeUser(String name) {
        return send(request("api/v1/users/" + seg(name)).DELETE()).thenApply(r -> null);
    }

    /** The caller's tokens, or with {@code all} (admins) every user's. */
    public CompletableFuture<List<Api.Token>> tokens(boolean all) {
        return get("api/v1/tokens" + (all ? "?all=true" : ""), new TypeReference<List<Api.Token>>() { });
    }

    /** A new token of the caller's; its secret is in the answer only. */
    public CompletableFuture<Api.NewToken> createToken(String name) {
        return write("POST", "api/v1/tokens", Map.of("name", name), Api.NewToken.class);
    }

    public CompletableFuture<Void> revokeToken(String id) {
        return send(request("api/v1/tokens/" + seg(id)).DELETE()).thenApply(r -> null);
    }

    public CompletableFuture<Api.Status> status() {
        return get("api/v1/status", Api.Status.class);
    }

    /** Puts the appliance in maintenance (its VIPs withdrawn) or ends it; needs the operator role. */
    public CompletableFuture<Api.Maintenance> maintenance(boolean on) {
        return write("POST", "api/v1/maintenance", Map.of("on", on), Api.Maintenance.class);
    }

    public CompletableFuture<List<Api.Pool>> pools() {
        return get("api/v1/backends", new TypeReference<List<Api.Pool>>() { });
    }

    public CompletableFuture<List<Api.Frontend>> frontends() {
        return get("api/v1/frontends", new TypeReference<List<Api.Frontend>>() { });
    }

    /** The config file's text and the version it belongs to (from the ETag). */
    public CompletableFuture<Versioned<String>> configToml() {
        return send(request("api/v1/config/toml").GET()).thenApply(r -> new Versioned<>(r.body(), etag(r)));
    }

    public CompletableFuture<Api.WriteResult> addServer(String pool, String name, String addr, int weight) {
        Map<String, Object> body = Map.of("name", name, "addr", addr, "weight", weight);
        return write("POST", "api/v1/backends/" + seg(pool) + "/servers", body, Api.WriteResult.class);
    }

    /** PATCH of one server: any of {@code weight}, {@code state}, {@code addr}. */
    public CompletableFuture<Api.WriteResult> updateServer(String pool, String server, Map<String, Object> change) {
        return write("PATCH", "api/v1/backends/" + seg(pool) + "/servers/" + seg(server), change, Api.WriteResult.class);
    }

    public CompletableFuture<Api.WriteResult> removeServer(String pool, String server) {
        return delete("api/v1/backends/" + seg(pool) + "/servers/" + seg(server));
    }

    /** POST of a pool: {@code name}, any pool settings and {@code servers} ({@code {name: {addr, weight?, state?}}}). */
    public CompletableFuture<Api.WriteResult> addPool(Map<String, Object> pool) {
        return write("POST", "api/v1/backends", pool, Api.WriteResult.class);
    }

    /** PATCH of a pool: any of its algorithm, health check and timeout settings. */
    public CompletableFuture<Api.WriteResult> updatePool(String pool, Map<String, Object> change) {
        return write("PATCH", "api/v1/backends/" + seg(pool), change, Api.WriteResult.class);
    }

    /** Removes a pool; 409 while a frontend uses it. */
    public CompletableFuture<Api.WriteResult> removePool(String pool) {
        return delete("api/v1/backends/" + seg(pool));
    }

    public CompletableFuture<Api.WriteResult> addFrontend(String name, String listenAddr, String backend) {
        return addFrontend(name, listenAddr, backend, "tcp");
    }

    /** Adds a frontend of {@code protocol} ("tcp" or "udp"). */
    public CompletableFuture<Api.WriteResult> addFrontend(String name, String listenAddr, String backend,
            String protocol) {
        Map<String, Object> body = Map.of("name", name, "listen_addr", listenAddr, "backend", backend,
                "protocol", protocol);
        return write("POST", "api/v1/frontends", body, Api.WriteResult.class);
    }

    /** PATCH of a frontend: any of {@code listen_addr}, {@code backend}, {@code protocol}. */
    public CompletableFuture<Api.WriteResult> updateFrontend(String name, Map<String, Object> change) {
        return write("PATCH", "api/v1/frontends/" + seg(name), change, Api.WriteResult.class);
    }

    /** PATCH of a frontend's traffic control: any of {@code allow}, {@code deny}, {@code rate_limit*}, {@code access_log*}. */
    public CompletableFuture<Api.WriteResult> updateFrontendTraffic(String name, Map<String, Object> change) {
        return write("PATCH", "api/v1/frontends/" + seg(name) + "/traffic", change, Api.WriteResult.class);
    }

    public CompletableFuture<Api.WriteResult> removeFrontend(String name) {
        return delete("api/v1/frontends/" + seg(name));
    }

    public CompletableFuture<Api.Preview> preview(String pool, Map<String, Integer> weights, Map<String, String> states) {
        return write("POST", "api/v1/backends/" + seg(pool) + "/preview", Map.of("weights", weights, "states", states),
                Api.Preview.class);
    }

    public CompletableFuture<Api.Probe> probe(String addr) {
        return write("POST", "api/v1/probe", Map.of("addr", addr), Api.Probe.class);
    }

    public CompletableFuture<Api.Validation> validate(String toml) {
        return send(request("api/v1/config/validate").header("Content-Type", TOML)
                .POST(HttpRequest.BodyPublishers.ofString(toml)))
                .thenApply(r -> read(r.body(), JSON.constructType(Api.Validation.class)));
    }

    /** Replaces the whole config file; a stale {@code ifMatch} fails with a 412 {@link ApiException}. */
    public CompletableFuture<Api.WriteResult> putConfig(String toml, long ifMatch) {
        return send(request("api/v1/config").header("Content-Type", TOML)
                .header("If-Match", "\"" + ifMatch + "\"").PUT(HttpRequest.BodyPublishers.ofString(toml)))
                .thenApply(r -> read(r.body(), JSON.constructType(Api.WriteResult.class)));
    }

    /** The fleet this appliance is in; fails with a 404 {@link ApiException} when it is in none. */
    public CompletableFuture<Api.Fleet> fleet() {
        return get("api/v1/fleet", Api.Fleet.class);
    }

    public CompletableFuture<List<Api.HistoryEntry>> history() {
        return get("api/v1/config/history", new TypeReference<List<Api.HistoryEntry>>() { });
    }

    public CompletableFuture<String> historyText(long id) {
        return send(request("api/v1/config/history/" + id).GET()).thenApply(HttpResponse::body);
    }

    public CompletableFuture<String> diff(long from, long to) {
        return send(request("api/v1/config/diff?from=" + from + "&to=" + to).GET()).thenApply(HttpResponse::body);
    }

    public CompletableFuture<Api.WriteResult> rollback(long id) {
        return send(request("api/v1/config/rollback/" + id).POST(HttpRequest.BodyPublishers.noBody()))
                .thenApply(r -> read(r.body(), JSON.constructType(Api.WriteResult.class)));
    }

    /** Up to 900 seconds of one-second samples per scope. */
    public CompletableFuture<Api.Series> series(int seconds) {
        return get("api/v1/stats/series?seconds=" + seconds, Api.Series.class);
    }

    /**
     * Opens the event stream; it reconnects until closed, each time with the token current then. Events and state
     * arrive on the stream's thread.
     */
    public EventStream events(Consumer<ApplianceEvent> onEvent, Consumer<Boolean> onConnected,
            Consumer<Throwable> onFailure) {
        return EventStream.open(http, () -> request("api/v1/events").header("Accept", "text/event-stream")
                .timeout(Duration.ofDays(365)).GET().build(), onEvent, onConnected, onFailure);
    }

    private <T> CompletableFuture<T> get(String path, Class<T> type) {
        return send(request(path).GET()).thenApply(r -> read(r.body(), JSON.constructType(type)));
    }

    private <T> CompletableFuture<T> get(String path, TypeReference<T> type) {
        return send(request(path).GET()).thenApply(r -> read(r.body(), JSON.getTypeFactory().constructType(type)));
    }

    private <T> CompletableFuture<T> write(String method, String path, Object body, Class<T> type) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json(body))))
                .thenApply(r -> read(r.body(), JSON.constructType(type)));
    }

    private CompletableFuture<Void> writeOnly(String method, String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json(body)))).thenApply(r -> null);
    }

    private CompletableFuture<Api.WriteResult> delete(String path) {
        return send(request(path).DELETE()).thenApply(r -> read(r.body(), JSON.constructType(Api.WriteResult.class)));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        token.get().filter(t -> !t.isBlank()).ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(AdminClient::checked);
    }

    private static HttpResponse<String> checked(HttpResponse<String> response) {
        if (response.statusCode() < 400) {
            return response;
        }
        ErrorBody error;
        try {
            error = JSON.readValue(response.body(), ErrorBody.class);
        } catch (JsonProcessingException e) {
            error = new ErrorBody("HTTP " + response.statusCode() + " from " + response.uri().getPath(), List.of());
        }
        throw new ApiException(response.statusCode(), error.error(), error.problems());
    }

    private record ErrorBody(String error, List<Api.Problem> problems) {
    }

    static long etag(HttpResponse<?> response) {
        return response.headers().firstValue("ETag").map(v -> v.replace("\"", "").replace("W/", "").trim())
                .map(Long::parseLong).orElse(-1L);
    }

    static <T> T read(String body, JavaType type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new ApiException(0, "unexpected answer (" + e.getOriginalMessage() + ")", List.of());
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body cannot be written as JSON", e);
        }
    }

    private static String seg(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value with the config version it was read at. */
    public record Versioned<T>(T value, long version) {
    }
}
