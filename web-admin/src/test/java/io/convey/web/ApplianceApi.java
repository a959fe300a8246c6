package io.convey.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The admin API as a script uses it (HTTPS trusting the appliance's certificate, a bearer token): setup and checks. */
final class ApplianceApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunningDaemon appliance;
    private final HttpClient http;

    ApplianceApi(RunningDaemon appliance) {
        this.appliance = appliance;
        this.http = appliance.httpClient();
    }

    /** Sends a request with the given bearer token (or none); a JSON body when json is not null. */
    HttpResponse<String> send(String method, String path, String json, String token) {
        return json == null ? appliance.send(method, path, token, null)
                : appliance.send(method, path, token, json, "Content-Type", "application/json");
    }

    /** A request as the fixture's admin; answers the JSON body and fails on anything but 2xx. */
    JsonNode admin(String method, String path, String json) throws IOException {
        HttpResponse<String> response = send(method, path, json, appliance.token());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    void createUser(String name, String role, String password) throws IOException {
        admin("POST", "/api/v1/users", JSON.createObjectNode().put("name", name).put("role", role)
                .put("password", password).toString());
    }

    /** The bytes of the response to a GET with the admin's token. */
    HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + appliance.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** SHA-256 of a file, in hex (what "unchanged" means for a config or users file). */
    static String digest(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
