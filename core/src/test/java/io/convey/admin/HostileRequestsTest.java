package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a page in the operator's browser, or a DNS-rebinding attacker, can send at the HTTP level: cookie writes
 * without the CSRF token or from another origin, JSON sent as text/plain, a form POST, a foreign Host. Each is
 * refused and nothing changes; the same write from our own page goes through.
 */
class HostileRequestsTest {
    private static final String WEIGHT_7 = "{\"weight\": 7}";

    private NamedServer a;
    private RunningDaemon daemon;
    private Api api;
    private String origin;
    private String cookie;
    private String csrf;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        a = new NamedServer("a");
        daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()));
        api = new Api(daemon);
        origin = "https://127.0.0.1:" + daemon.daemon().adminAddress().getPort();
        RawHttp.Answer login = RawHttp.send(daemon, "POST", "/api/v1/login", "{\"user\": \"admin\", \"password\": \""
                + daemon.adminPassword() + "\"}", "Content-Type: application/json", "Origin: " + origin);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String setCookie = login.headers().get("set-cookie");
        assertThat(setCookie).startsWith("convey_session=").contains("HttpOnly", "SameSite=Strict", "Secure", "Path=/");
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        JsonNode body = Api.JSON.readTree(login.body());
        csrf = body.get("csrf_token").asText();
        assertThat(body.get("user").asText()).isEqualTo("admin");
        assertThat(body.get("role").asText()).isEqualTo("admin");
        assertThat(body.get("idle_timeout_s").asLong()).isEqualTo(1800);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        a.close();
    }

    @Test
    void aCookieWriteWithoutTheCsrfTokenIsRefused() {
        assertRefused(403, "X-CSRF-Token", RawHttp.send(daemon, "PATCH", "/api/v1/backends/p/servers/a", WEIGHT_7,
                "Cookie: " + cookie, "Origin: " + origin, "Content-Type: application/json"));
    }

    @Test
    void aCookieWriteFromAnotherOriginIsRefusedEvenWithTheToken() {
        assertRefused(403, "Origin", RawHttp.send(daemon, "PATCH", "/api/v1/backends/p/servers/a", WEIGHT_7,
                "Cookie: " + cookie, "X-CSRF-Token: " + csrf, "Origin: https://evil.example", "Content-Type: application/json"));
        assertRefused(403, "Origin", RawHttp.send(daemon, "PATCH", "/api/v1/backends/p/servers/a", WEIGHT_7,
                "Cookie: " + cookie, "X-CSRF-Token: " + csrf, "Content-Type: application/json"));
    }

    @Test
    void aCookieWriteFromOurOwnPageGoesThroughAndIsAudited() throws Exception {
        RawHttp.Answer answer = RawHttp.send(daemon, "PATCH", "/api/v1/backends/p/servers/a", WEIGHT_7,
                "Cookie: " + cookie, "X-CSRF-Token: " + csrf, "Origin: " + origin, "Content-Type: application/json");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(api.fileText()).contains("weight = 7");
        assertThat(daemon.daemon().history().entries().getFirst().by()).isEqualTo("admin");
        JsonNode audit = Api.json(api.get("/api/v1/audit?limit=5"));
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.get("path").asText()).isEqualTo("/api/v1/backends/p/servers/a");
            assertThat(e.get("via").asText()).isEqualTo("session");
            assertThat(e.get("outcome").asText()).isEqualTo("accepted");
        });
    }

    @Test
    void jsonSentAsTextPlainIsRefusedWith415() {
        // the no-cors fetch of the issue: a "simple" request a browser sends to any origin without a preflight
        assertRefused(415, "Content-Type", RawHttp.send(daemon, "POST", "/api/v1/backends/p/servers",
                "{\"name\": \"evil\", \"addr\": \"127.0.0.1:9\"}", "Authorization: Bearer " + daemon.token(),
                "Content-Type: text/plain"));
        assertRefused(415, "Content-Type", RawHttp.send(daemon, "POST", "/api/v1/backends/p/servers",
                "{\"name\": \"evil\", \"addr\": \"127.0.0.1:9\"}", "Cookie: " + cookie, "X-CSRF-Token: " + csrf,
                "Origin: " + origin, "Content-Type: text/plain;charset=UTF-8"));
    }

    @Test
    void aFormPostToRollbackIsRefused() {
        assertRefused(403, "Origin", RawHttp.send(daemon, "POST", "/api/v1/config/rollback/1", "x=1", "Cookie: " + cookie,
                "Origin: https://evil.example", "Content-Type: application/x-www-form-urlencoded"));
        assertRefused(403, "X-CSRF-Token", RawHttp.send(daemon, "POST", "/api/v1/config/rollback/1", "", "Cookie: " + cookie,
                "Origin: " + origin, "Content-Type: application/x-www-form-urlencoded"));
        assertRefused(415, "Content-Type", RawHttp.send(daemon, "POST", "/api/v1/config/rollback/1", "",
                "Authorization: Bearer " + daemon.token(), "Content-Type: application/x-www-form-urlencoded"));
        assertRefused(401, "Authorization", RawHttp.send(daemon, "POST", "/api/v1/config/rollback/1", "x=1",
                "Content-Type: application/x-www-form-urlencoded"));
    }

    @Test
    void aHostNamingAnotherDomainIsRefusedWith421() {
        assertRefused(421, "Host", RawHttp.send(daemon, "PATCH", "/api/v1/backends/p/servers/a", WEIGHT_7,
                "Host: rebind.evil.example:" + daemon.daemon().adminAddress().getPort(),
                "Authorization: Bearer " + daemon.token(), "Content-Type: application/json"));
        assertRefused(421, "Host", RawHttp.send(daemon, "GET", "/api/v1/config/toml", null, "Host: rebind.evil.example",
                "Authorization: Bearer " + daemon.token()));
        assertThat(RawHttp.send(daemon, "GET", "/api/v1/status", null, "Host: localhost",
                "Authorization: Bearer " + daemon.token()).status()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheSession() {
        RawHttp.Answer session = RawHttp.send(daemon, "GET", "/api/v1/session", null, "Cookie: " + cookie);
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.body()).contains("\"auth\":\"session\"").contains("\"csrf_token\":\"" + csrf + "\"");
        RawHttp.Answer logout = RawHttp.send(daemon, "POST", "/api/v1/logout", null, "Cookie: " + cookie,
                "X-CSRF-Token: " + csrf, "Origin: " + origin);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.headers().get("set-cookie")).startsWith("convey_session=;").contains("Max-Age=0");
        assertThat(RawHttp.send(daemon, "GET", "/api/v1/session", null, "Cookie: " + cookie).status()).isEqualTo(401);
    }

    private void assertRefused(int status, String problemPath, RawHttp.Answer answer) {
        String before = api.fileDigestAndVersion();
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode error;
        try {
            error = Api.JSON.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(answer.body(), e);
        }
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.get("problems")).anySatisfy(p -> assertThat(p.get("path").asText()).isEqualTo(problemPath));
        assertThat(api.fileDigestAndVersion()).isEqualTo(before);
        assertThat(api.version()).isEqualTo(1);
        assertThat(api.fileText()).doesNotContain("evil").doesNotContain("weight = 7");
    }
}
