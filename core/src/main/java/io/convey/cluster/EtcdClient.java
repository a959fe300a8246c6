package io.convey.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd v3 client over etcd's own JSON gateway ({@code POST /v3/kv/range}, {@code /v3/kv/txn}, {@code /v3/watch},
 * {@code /v3/lease/*}, {@code /v3/auth/authenticate}; keys and values base64, 64-bit numbers as strings) on the
 * JDK's HTTP client. Why not jetcd, the Java client the etcd project keeps: jetcd-core 0.8.6 resolves with our Netty
 * 4.2.18 but brings 31 jars and 14.2 MB (gRPC 1.76 and grpc-netty, Vert.x 5 core and grpc, Guava, protobuf and
 * Google's common protos, five more Netty codecs) into a 33.9 MB convey.jar, a second network stack beside ours
 * for the few unary calls and two streams the fleet needs; this class is about 300 lines on the JDK alone. Measured
 * with the whole fleet feature (this package, the engine's wiring, the routes): convey.jar went from 33,911,369 to
 * 33,994,220 bytes (+81 KB) and the .deb from 72,483,146 to 72,558,190 bytes (+73 KB); jetcd would have added
 * about 14 MB to each.
 * The gateway has served {@code /v3/} since etcd 3.4 (3.3 used {@code /v3beta/}).
 *
 * <p>Requests go to the endpoint that answered last; a refused connection, a time-out or an etcd "unavailable"
 * answer moves on to the next, and when none answers the call fails with {@link EtcdUnavailableException} naming
 * every endpoint. Thread-safe: the JDK client is, and the endpoint index and auth token are volatile.
 */
public final class EtcdClient implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(EtcdClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** gRPC status codes etcd answers with: 4 deadline exceeded, 14 unavailable (no leader, stopping). */
    private static final int DEADLINE_EXCEEDED = 4;
    private static final int UNAVAILABLE = 14;
    private static final int OUT_OF_RANGE = 11;
    private static final int UNAUTHENTICATED = 16;

    private final EtcdSettings settings;
    private final HttpClient http;
    private volatile int current;
    private volatile String token;

    public EtcdClient(EtcdSettings settings) throws IOException {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1); // the gateway streams watches over HTTP/1.1 chunks
        if (settings.tlsCa().isPresent() || settings.tlsCert().isPresent()) {
            builder.sslContext(PemTls.context(settings.tlsCert(), settings.tlsKey(), settings.tlsCa()));
        }
        this.http = builder.build();
    }

    public EtcdSettings settings() {
        return settings;
    }

    /** The key's value now, or empty when it does not exist. */
    public Optional<KeyValue> get(String key) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("key", encode(key));
        List<KeyValue> kvs = kvs(call("/v3/kv/range", body).path("kvs"));
        return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.getFirst());
    }

    /** Every key starting with {@code prefix}, in key order. */
    public List<KeyValue> prefix(String prefix) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("key", encode(prefix)).put("range_end", prefixEnd(prefix));
        return kvs(call("/v3/kv/range", body).path("kvs"));
    }

    /**
     * Puts {@code key} (and the {@code alsoPut} keys, in the same revision) if the key's mod revision is still
     * {@code expectedRevision} (0: the key does not exist). Returns the new revision, or empty if another write came
     * first: etcd's compare-and-swap, one transaction.
     */
    public OptionalLong putIfRevision(String key, String value, long expectedRevision, Map<String, String> alsoPut)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("compare").addObject().put("target", "MOD").put("key", encode(key)).put("result", "EQUAL")
                .put("mod_revision", Long.toString(expectedRevision));
        ArrayNode success = body.putArray("success");
        success.addObject().putObject("request_put").put("key", encode(key)).put("value", encode(value));
        alsoPut.forEach((k, v) -> success.addObject().putObject("request_put").put("key", encode(k)).put("value", encode(v)));
        JsonNode answer = call("/v3/kv/txn", body);
        return answer.path("succeeded").asBoolean(false)
                ? OptionalLong.of(answer.path("header").path("revision").asLong()) : OptionalLong.empty();
    }

    /** Puts a key bound to a lease (0: none). */
    public void put(String key, String value, long lease) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("key", encode(key)).put("value", encode(value));
        if (lease != 0) {
            body.put("lease", Long.toString(lease));
        }
        call("/v3/kv/put", body);
    }

    /** Deletes one key (no error when it does not exist). */
    public void delete(String key) throws IOException {
        call("/v3/kv/deleterange", JSON.createObjectNode().put("key", encode(key)));
    }

    /** A new lease of {@code ttl} (whole seconds); its id. */
    public long grantLease(Duration ttl) throws IOException {
        return call("/v3/lease/grant", JSON.createObjectNode().put("TTL", Long.toString(ttl.toSeconds())))
                .path("ID").asLong();
    }

    /**
     * Renews a lease once; false when it has expired. The gateway serves keep-alive as a stream: one request
     * line, one answer line, then the stream is closed.
     */
    public boolean keepAlive(long lease) throws IOException {
        try (Lines lines = stream("/v3/lease/keepalive", JSON.createObjectNode().put("ID", Long.toString(lease)))) {
            JsonNode first = lines.next();
            if (first == null) {
                throw new IOException("lease keep-alive stream ended without an answer");
            }
            return first.path("result").path("TTL").asLong(0) > 0;
        }
    }

    /** Revokes a lease (its keys go at once); an expired lease is not an error. */
    public void revoke(long lease) throws IOException {
        try {
            call("/v3/lease/revoke", JSON.createObjectNode().put("ID", Long.toString(lease)));
        } catch (EtcdException e) {
            log.debug("lease revoke lease={}: {}", lease, e.getMessage());
        }
    }

    /** The cluster's revision now (the header of a range on {@code key}). */
    public long revision(String key) throws IOException {
        return call("/v3/kv/range", JSON.createObjectNode().put("key", encode(key)).put("count_only", true))
                .path("header").path("revision").asLong();
    }

    /** One answer of a watch: its events, or the compaction that cancelled it. */
    public record WatchAnswer(List<KeyValue> puts, boolean deleted, long compactRevision, boolean canceled) {}

    /** A watch's stream of answers; {@link #close()} from another thread ends a blocked {@link #next()}. */
    public final class Watch implements Closeable {
        private final Lines lines;

        private Watch(Lines lines) {
            this.lines = lines;
        }

        /** The next answer with events or a cancellation (progress answers are skipped), or null at the end. */
        public WatchAnswer next() throws IOException {
            while (true) {
                JsonNode line = lines.next();
                if (line == null) {
                    return null;
                }
                JsonNode result = line.path("result");
                if (line.has("error")) {
                    throw new EtcdException(line.path("error").path("message").asText(line.toString()),
                            line.path("error").path("grpc_code").asInt(UNAVAILABLE));
                }
                long compacted = result.path("compact_revision").asLong(0);
                boolean canceled = result.path("canceled").asBoolean(false);
                List<KeyValue> puts = new ArrayList<>();
                boolean deleted = false;
                for (JsonNode event : result.path("events")) {
                    if ("DELETE".equals(event.path("type").asText("PUT"))) {
                        deleted = true;
                    } else {
                        puts.add(kv(event.path("kv")));
                    }
                }
                if (canceled || !puts.isEmpty() || deleted) {
                    return new WatchAnswer(puts, deleted, compacted, canceled);
                }
            }
        }

        @Override
        public void close() {
            lines.close();
        }
    }

    /** Watches one key from {@code fromRevision} on (events already written since then come first, in order). */
    public Watch watch(String key, long fromRevision) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("create_request").put("key", encode(key)).put("start_revision", Long.toString(fromRevision));
        return new Watch(stream("/v3/watch", body));
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- transport ----

    /** An error answer of etcd itself (not a transport failure). */
    static final class EtcdException extends IOException {
        final int code;

        EtcdException(String message, int code) {
            super(message);
            this.code = code;
        }

        boolean compacted() {
            return code == OUT_OF_RANGE;
        }
    }

    private JsonNode call(String path, ObjectNode body) throws IOException {
        IOException last = null;
        int endpoints = settings.endpoints().size();
        int start = current;
        for (int i = 0; i < endpoints; i++) {
            int index = (start + i) % endpoints;
            URI endpoint = settings.endpoints().get(index);
            try {
                JsonNode answer = send(endpoint, path, body, true);
                current = index;
                return answer;
            } catch (EtcdException e) {
                if (e.code != UNAVAILABLE && e.code != DEADLINE_EXCEEDED) {
                    throw e;
                }
                last = e;
            } catch (IOException e) {
                last = e;
            }
            log.debug("etcd endpoint failed endpoint={} path={}: {}", endpoint, path, last.toString());
        }
        throw unavailable(last);
    }

    private JsonNode send(URI endpoint, String path, ObjectNode body, boolean mayAuthenticate) throws IOException {
        HttpResponse<String> response = exchange(endpoint, path, body, HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        if (response.statusCode() / 100 != 2 || answer.has("error")) {
            int code = answer.path("code").asInt(response.statusCode() == 503 ? UNAVAILABLE : 2);
            if (code == UNAUTHENTICATED && mayAuthenticate && settings.user().isPresent()) {
                token = null;
                return send(endpoint, path, body, false);
            }
            throw new EtcdException(answer.path("message").asText("HTTP " + response.statusCode()), code);
        }
        return answer;
    }

    private <T> HttpResponse<T> exchange(URI endpoint, String path, ObjectNode body, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (!path.equals("/v3/watch") && !path.equals("/v3/lease/keepalive")) {
            request.timeout(settings.requestTimeout()); // a stream's time-out would end it
        }
        String auth = token(endpoint);
        if (auth != null) {
            request.header("Authorization", auth);
        }
        try {
            return http.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for etcd");
        }
    }

    /** The auth token for the user in the settings, fetched once and again when etcd says it expired. */
    private String token(URI endpoint) throws IOException {
        if (settings.user().isEmpty()) {
            return null;
        }
        String t = token;
        if (t == null) {
            String password = Files.readString(settings.passwordFile().orElseThrow(), StandardCharsets.UTF_8).strip();
            ObjectNode body = JSON.createObjectNode().put("name", settings.user().get()).put("password", password);
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/v3/auth/authenticate"))
                    .timeout(settings.requestTimeout()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            try {
                JsonNode answer = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                if (answer.has("error")) {
                    throw new EtcdException("etcd user " + settings.user().get() + ": " + answer.path("message").asText(),
                            answer.path("code").asInt(UNAUTHENTICATED));
                }
                t = answer.path("token").asText();
                token = t;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted authenticating to etcd");
            }
        }
        return t;
    }

    /** A streaming answer read line by line (the gateway writes one JSON object per line). */
    private Lines stream(String path, ObjectNode body) throws IOException {
        IOException last = null;
        int endpoints = settings.endpoints().size();
        int start = current;
        for (int i = 0; i < endpoints; i++) {
            int index = (start + i) % endpoints;
            try {
                HttpResponse<InputStream> response = exchange(settings.endpoints().get(index), path, body,
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() / 100 != 2) {
                    String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                    response.body().close();
                    last = new EtcdException("HTTP " + response.statusCode() + " " + text, UNAVAILABLE);
                    continue;
                }
                current = index;
                return new Lines(response.body());
            } catch (IOException e) {
                last = e;
            }
        }
        throw unavailable(last);
    }

    private EtcdUnavailableException unavailable(IOException last) {
        String why = last == null ? "no answer" : last.getMessage() == null ? last.getClass().getSimpleName()
                : last.getMessage();
        return new EtcdUnavailableException("etcd is unreachable at " + settings.endpointList() + " (" + why + ")", last);
    }

    /** Closing it (from any thread) aborts the HTTP exchange: the JDK's stream cancels its subscription. */
    private static final class Lines implements Closeable {
        private final InputStream in;
        private final BufferedReader reader;

        Lines(InputStream in) {
            this.in = in;
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        JsonNode next() throws IOException {
            String line;
            do {
                line = reader.readLine();
            } while (line != null && line.isBlank());
            return line == null ? null : JSON.readTree(line);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                log.debug("closing an etcd stream", e);
            }
        }
    }

    // ---- encoding ----

    private static List<KeyValue> kvs(JsonNode array) {
        List<KeyValue> out = new ArrayList<>();
        array.forEach(node -> out.add(kv(node)));
        return out;
    }

    private static KeyValue kv(JsonNode node) {
        return new KeyValue(decode(node.path("key").asText("")), decode(node.path("value").asText("")),
                node.path("mod_revision").asLong(), node.path("create_revision").asLong(), node.path("lease").asLong(0));
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** The range end that selects every key with this prefix: the prefix with its last byte plus one. */
    private static String prefixEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++; // our prefixes end in '/', never 0xff
        return Base64.getEncoder().encodeToString(end);
    }
}
