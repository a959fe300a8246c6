package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.convey.admin.auth.AdminAuth;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Password guessing is slowed: after five wrong passwords the user is locked (429 with Retry-After), the right
 * password included, each attempt is logged at WARN without the password, and failed logins reach the audit log.
 */
class LoginThrottlingTest {

    @Test
    void fiveWrongPasswordsLockTheUserEvenForTheRightOne(@TempDir Path dir) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AdminAuth.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            for (int i = 1; i <= 5; i++) {
                HttpResponse<String> wrong = login(daemon, "admin", "guess number " + i);
                assertThat(wrong.statusCode()).as("attempt %d", i).isEqualTo(401);
                assertThat(Api.json(wrong).get("error").asText()).isEqualTo("wrong user or password");
            }
            HttpResponse<String> locked = login(daemon, "admin", "guess number 6");
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s))
                    .isBetween(1L, 300L));
            JsonNode error = Api.json(locked);
            assertThat(error.get("error").asText()).isEqualTo("too many failed logins");
            HttpResponse<String> right = login(daemon, "admin", daemon.adminPassword());
            assertThat(right.statusCode()).as("the right password while locked").isEqualTo(429);

            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).startsWith("login failed: wrong user or password user=admin from="))
                    .anySatisfy(m -> assertThat(m).startsWith("login refused: throttled user=admin"))
                    .noneSatisfy(m -> assertThat(m).contains("guess number"));
            JsonNode audit = Api.json(new Api(daemon).get("/api/v1/audit?limit=20"));
            assertThat(audit).filteredOn(e -> e.get("path").asText().equals("/api/v1/login"))
                    .extracting(e -> e.get("status").asInt()).contains(401, 429);
            assertThat(audit.toString()).doesNotContain("guess number").doesNotContain(daemon.adminPassword());
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void anUnknownUserGetsTheSameAnswerAsAWrongPassword(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            HttpResponse<String> unknown = login(daemon, "mallory", "whatever password");
            HttpResponse<String> wrong = login(daemon, "admin", "whatever password");
            assertThat(unknown.statusCode()).isEqualTo(wrong.statusCode()).isEqualTo(401);
            assertThat(unknown.body()).isEqualTo(wrong.body()).isEqualTo("{\"error\":\"wrong user or password\",\"problems\":[]}");
        }
    }

    private static HttpResponse<String> login(RunningDaemon daemon, String user, String password) {
        return daemon.send("POST", "/api/v1/login", null, "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}",
                "Content-Type", "application/json");
    }
}
