package io.convey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.config.ConfigFile;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A small HTTP client for the admin API of a {@link RunningDaemon}, acting as a logged-in admin (the fixture's
 * bearer token) unless told otherwise, plus the facts tests compare before and after.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Routes whose body is TOML; every other body is JSON. */
    private static final Set<String> TOML_ROUTES = Set.of("PUT /api/v1/config", "POST /api/v1/config/validate");

    private final RunningDaemon daemon;
    private final String token;

    Api(RunningDaemon daemon) {
        this(daemon, daemon.token());
    }

    /** Acting with {@code token} (null: anonymous). */
    Api(RunningDaemon daemon, String token) {
        this.daemon = daemon;
        this.token = token;
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /**
     * Sends a request; {@code headers} are name, value pairs. A body gets the Content-Type its route expects
     * (application/toml or application/json) unless {@code headers} name one.
     */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        List<String> all = new ArrayList<>(Arrays.asList(headers));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            all.add("Content-Type");
            all.add(TOML_ROUTES.contains(method + " " + path) ? "application/toml" : "application/json");
        }
        return daemon.send(method, path, token, body, all.toArray(String[]::new));
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
