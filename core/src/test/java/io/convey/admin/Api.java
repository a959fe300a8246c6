package io.convey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.config.ConfigFile;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/** A small HTTP client for the admin API of a {@link RunningDaemon}, plus the facts tests compare before and after. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final RunningDaemon daemon;

    Api(RunningDaemon daemon) {
        this.daemon = daemon;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /** Sends a request; {@code headers} are name, value pairs. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(daemon.adminUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String fileText() {
        try {
            return Files.readString(daemon.config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What must not change when a request is refused: the file's digest and the running version. */
    String fileDigestAndVersion() {
        return ConfigFile.digest(fileText()) + " v" + daemon.daemon().engine().version();
    }

    long version() {
        return daemon.daemon().engine().version();
    }
}
