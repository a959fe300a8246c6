package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users and tokens through the API: roles act at once, the last admin stays, short passwords and revoked tokens fail. */
class UsersAndTokensTest {

    @Test
    void anAdminManagesUsersAndTheLastAdminCannotGo(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api admin = new Api(daemon);
            HttpResponse<String> shortPassword = admin.send("POST", "/api/v1/users",
                    "{\"name\": \"bob\", \"role\": \"viewer\", \"password\": \"short\"}");
            assertThat(shortPassword.statusCode()).isEqualTo(422);
            assertThat(Api.json(shortPassword).at("/problems/0/message").asText())
                    .isEqualTo("5 characters (expected: at least 10)");
            assertThat(admin.send("POST", "/api/v1/users", "{\"name\": \"bob\", \"role\": \"root\", \"password\": \"long enough!\"}")
                    .statusCode()).isEqualTo(422);

            String bob = daemon.userToken("bob", "viewer");
            Api asBob = new Api(daemon, bob);
            assertThat(asBob.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}").statusCode()).isEqualTo(403);
            assertThat(admin.send("PATCH", "/api/v1/users/bob", "{\"role\": \"operator\"}").statusCode()).isEqualTo(200);
            assertThat(asBob.send("PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}").statusCode())
                    .as("a token acts with its user's current role").isEqualTo(200);

            HttpResponse<String> demoteLast = admin.send("PATCH", "/api/v1/users/admin", "{\"role\": \"viewer\"}");
            assertThat(demoteLast.statusCode()).isEqualTo(409);
            assertThat(admin.send("DELETE", "/api/v1/users/admin", null).statusCode()).isEqualTo(409);
            assertThat(admin.send("DELETE", "/api/v1/users/nobody", null).statusCode()).isEqualTo(404);

            assertThat(admin.send("DELETE", "/api/v1/users/bob", null).statusCode()).isEqualTo(204);
            assertThat(asBob.get("/api/v1/session").statusCode()).as("removing a user revokes their tokens").isEqualTo(401);
            JsonNode users = Api.json(admin.get("/api/v1/users"));
            assertThat(users).extracting(u -> u.get("name").asText()).containsExactly("admin");
            assertThat(users.get(0).has("password_hash")).isFalse();
        }
    }

    @Test
    void usersMakeListAndRevokeTheirOwnTokensAndChangeTheirPassword(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api vera = new Api(daemon, daemon.userToken("vera", "viewer"));
            HttpResponse<String> created = vera.send("POST", "/api/v1/tokens", "{\"name\": \"prometheus\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            JsonNode token = Api.json(created);
            assertThat(token.get("token").asText()).startsWith("cvy_");
            assertThat(token.get("user").asText()).isEqualTo("vera");
            Api prometheus = new Api(daemon, token.get("token").asText());
            assertThat(prometheus.get("/api/v1/status").statusCode()).isEqualTo(200);

            JsonNode mine = Api.json(vera.get("/api/v1/tokens"));
            assertThat(mine).extracting(t -> t.get("name").asText()).containsExactlyInAnyOrder("vera token", "prometheus");
            assertThat(mine.get(0).has("token")).isFalse();
            assertThat(mine).anySatisfy(t -> assertThat(t.get("last_used_at").isNull()).isFalse());
            assertThat(vera.get("/api/v1/tokens?all=true").statusCode()).isEqualTo(403);
            assertThat(Api.json(new Api(daemon).get("/api/v1/tokens?all=true"))).hasSizeGreaterThanOrEqualTo(3);
            String adminTokenId = Api.json(new Api(daemon).get("/api/v1/tokens")).get(0).get("id").asText();
            assertThat(vera.send("DELETE", "/api/v1/tokens/" + adminTokenId, null).statusCode())
                    .as("someone else's token").isEqualTo(404);

            assertThat(vera.send("DELETE", "/api/v1/tokens/" + token.get("id").asText(), null).statusCode()).isEqualTo(204);
            assertThat(prometheus.get("/api/v1/status").statusCode()).isEqualTo(401);

            assertThat(vera.send("POST", "/api/v1/session/password",
                    "{\"current_password\": \"not it at all\", \"new_password\": \"a new password\"}").statusCode()).isEqualTo(403);
            assertThat(vera.send("POST", "/api/v1/session/password",
                    "{\"current_password\": \"password-of-vera\", \"new_password\": \"a new password\"}").statusCode())
                    .isEqualTo(204);
            assertThat(daemon.login("vera", "a new password", "after change")).startsWith("cvy_");
        }
    }
}
