package io.convey.admin;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon started with no users creates {@code admin} with a random password in an owner-only file of its state
 * directory; that password logs in; the users and tokens files are owner-only and hold hashes, never the secrets.
 */
class FirstStartTest {

    @Test
    void theFirstStartWritesAnOwnerOnlyPasswordThatLogsIn(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Path state = dir.resolve(".convey-state");
            assertThat(daemon.stateDir()).isEqualTo(state);
            Path passwordFile = state.resolve("initial-admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8);
            assertThat(password).endsWith("\n");
            assertThat(password.strip()).hasSizeGreaterThanOrEqualTo(20);

            String token = daemon.login("admin", password.strip(), "first login");
            JsonNode session = Api.json(new Api(daemon, token).get("/api/v1/session"));
            assertThat(session.get("user").asText()).isEqualTo("admin");
            assertThat(session.get("role").asText()).isEqualTo("admin");
            assertThat(session.get("auth").asText()).isEqualTo("token");
            assertThat(session.get("token_name").asText()).isEqualTo("first login");
            assertThat(session.get("csrf_token").isNull()).isTrue();

            var certificate = daemon.certificate();
            assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(((java.security.interfaces.ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField()
                    .getFieldSize()).isEqualTo(256);
            assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
            assertThat(certificate.getSubjectAlternativeNames()).extracting(san -> san.get(1).toString())
                    .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
            assertThat(certificate.getBasicConstraints()).as("not a CA").isEqualTo(-1);

            Path users = dir.resolve("users.json");
            assertThat(Files.getPosixFilePermissions(users)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
            String usersText = Files.readString(users);
            assertThat(usersText).contains("\"name\" : \"admin\"").contains("$argon2id$v=19$m=19456,t=2,p=1$")
                    .doesNotContain(password.strip());
            Path tokens = state.resolve("tokens.json");
            assertThat(Files.getPosixFilePermissions(tokens)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
            assertThat(Files.readString(tokens)).contains("first login").doesNotContain(token)
                    .doesNotContain(token.substring(4));
            assertThat(Files.readString(daemon.config())).doesNotContain(password.strip()).doesNotContain("argon2");

            assertThat(daemon.send("PATCH", "/api/v1/backends/p/servers/a", null, "{\"weight\": 3}",
                    "Content-Type", "application/json").statusCode()).as("no credential, even from loopback").isEqualTo(401);
            assertThat(daemon.send("POST", "/api/v1/login", null, "{\"user\": \"admin\", \"password\": \"wrong password\"}",
                    "Content-Type", "application/json").statusCode()).isEqualTo(401);
            Path audit = state.resolve("audit.log");
            assertThat(Files.getPosixFilePermissions(audit)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
            assertThat(Files.readString(audit)).doesNotContain("wrong password").doesNotContain(password.strip());
        }
    }

    @Test
    void aSecondStartKeepsTheUsersAndWritesNoNewPassword(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a")) {
            String toml = Configs.onePool("round_robin", "a", a.addr());
            String first;
            try (RunningDaemon daemon = RunningDaemon.start(dir, toml)) {
                first = daemon.adminPassword();
                daemon.userToken("olga", "operator");
            }
            Files.delete(dir.resolve(".convey-state/initial-admin-password"));
            try (RunningDaemon again = RunningDaemon.start(dir, toml)) {
                assertThat(Files.exists(dir.resolve(".convey-state/initial-admin-password"))).isFalse();
                String token = again.login("admin", first, "after restart");
                assertThat(Api.json(new Api(again, token).get("/api/v1/users"))).extracting(u -> u.get("name").asText())
                        .containsExactly("admin", "olga");
            }
        }
    }
}
