package io.convey.announce;

import io.convey.packet.NetNamespaces;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon's admin API inside a namespace, called with curl as an operator would, on {@code 127.0.0.1:7000} with
 * {@code tls = "off"}: logs in once as the generated admin user and then sends its API token.
 */
final class LabApi {
    static final String ADMIN = "http://127.0.0.1:7000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetNamespaces lab;
    private final String ns;
    private String token;

    LabApi(NetNamespaces lab, String ns) {
        this.lab = lab;
        this.ns = ns;
    }

    /** The admin section every lab appliance uses: loopback only, plain HTTP (allowed on loopback). */
    static String adminSection() {
        return """
                [admin]
                listen_addr = "127.0.0.1:7000"
                tls = "off"
                """;
    }

    /** Logs in with the password the daemon generated at its first start (in its state folder). */
    void login(Path stateDir) throws IOException {
        String password = Files.readString(stateDir.resolve("initial-admin-password"), StandardCharsets.UTF_8).strip();
        String body = JSON.createObjectNode().put("user", "admin").put("password", password).put("token_name", "lab")
                .toString();
        token = JSON.readTree(curl("-X", "POST", "-H", "Content-Type: application/json", "-d", body,
                ADMIN + "/api/v1/login")).get("token").asText();
    }

    JsonNode get(String path) throws IOException {
        return JSON.readTree(curl("-H", "Authorization: Bearer " + token, ADMIN + path));
    }

    String getText(String path) throws IOException {
        return curl("-H", "Authorization: Bearer " + token, ADMIN + path);
    }

    JsonNode post(String path, String json) throws IOException {
        return JSON.readTree(curl("-X", "POST", "-H", "Authorization: Bearer " + token, "-H",
                "Content-Type: application/json", "-d", json, ADMIN + path));
    }

    private String curl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-fsS", "--max-time", "5"));
        command.addAll(List.of(args));
        return lab.exec(ns, command.toArray(String[]::new));
    }
}
