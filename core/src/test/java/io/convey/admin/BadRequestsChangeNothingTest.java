package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.config.ConveyConfig;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refused write answers its own 4xx in the one error shape and leaves the file and the engine as they were. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestsChangeNothingTest {
    private NamedServer a;
    private NamedServer b;
    private ServerSocket taken;
    private RunningDaemon daemon;
    private Api api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        a = new NamedServer("a");
        b = new NamedServer("b");
        taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr(), "b", b.addr()));
        api = new Api(daemon);
    }

    @AfterAll
    void stop() throws Exception {
        daemon.close();
        a.close();
        b.close();
        taken.close();
    }

    Stream<Arguments> cases() {
        String big = "{\"weight\": 1, \"pad\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        return Stream.of(
                Arguments.of("weight -1", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": -1}", 422,
                        "backends.p.servers.a.weight", "-1 (expected: 0-65535)"),
                Arguments.of("weight 70000", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 70000}", 422,
                        "backends.p.servers.a.weight", "70000 (expected: 0-65535)"),
                Arguments.of("weight \"abc\"", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": \"abc\"}", 400,
                        "backends.p.servers.a.weight", "\"abc\" (expected: an integer)"),
                Arguments.of("unknown pool", "PATCH", "/api/v1/backends/nope/servers/a", "{\"weight\": 2}", 404,
                        "backends.nope", null),
                Arguments.of("unknown server", "DELETE", "/api/v1/backends/p/servers/zz", null, 404,
                        "backends.p.servers.zz", null),
                Arguments.of("malformed JSON", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": ", 400, "", null),
                Arguments.of("unknown field", "PATCH", "/api/v1/backends/p/servers/a", "{\"wieght\": 2}", 400, "wieght", null),
                Arguments.of("duplicate server name", "POST", "/api/v1/backends/p/servers",
                        "{\"name\": \"a\", \"addr\": \"127.0.0.1:9\"}", 409, "backends.p.servers.a", null),
                Arguments.of("hostname address", "POST", "/api/v1/backends/p/servers",
                        "{\"name\": \"c\", \"addr\": \"example.com:80\"}", 422, "backends.p.servers.c.addr",
                        "\"example.com:80\" (expected: ip:port with a literal IP address; hostnames are not resolved)"),
                Arguments.of("unknown state", "PATCH", "/api/v1/backends/p/servers/a", "{\"state\": \"paused\"}", 422,
                        "backends.p.servers.a.state", "\"paused\" (expected: one of enabled, drain, disabled)"),
                Arguments.of("pool still used", "DELETE", "/api/v1/backends/p", null, 409, "frontends.f.backend", null),
                Arguments.of("frontend to an unknown pool", "POST", "/api/v1/frontends",
                        "{\"name\": \"g\", \"listen_addr\": \"127.0.0.1:0\", \"backend\": \"nope\"}", 422,
                        "frontends.g.backend", null),
                Arguments.of("listen address in use", "POST", "/api/v1/frontends", "{\"name\": \"g\", \"listen_addr\": \"127.0.0.1:"
                        + taken.getLocalPort() + "\", \"backend\": \"p\"}", 409, null, null),
                Arguments.of("foreign If-Match", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}", 412,
                        "If-Match", null),
                Arguments.of("text/plain JSON", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}", 415,
                        "Content-Type", "\"text/plain\" (expected: application/json)"),
                Arguments.of("frontend on port 0", "POST", "/api/v1/frontends",
                        "{\"name\": \"g\", \"listen_addr\": \"127.0.0.1:0\", \"backend\": \"p\"}", 422,
                        "frontends.g.listen_addr", "\"127.0.0.1:0\" (expected: a port 1-65535)"),
                Arguments.of("server on the unspecified address", "POST", "/api/v1/backends/p/servers",
                        "{\"name\": \"c\", \"addr\": \"0.0.0.0:80\"}", 422, "backends.p.servers.c.addr", null),
                Arguments.of("server on port 0", "PATCH", "/api/v1/backends/p/servers/a", "{\"addr\": \"127.0.0.1:0\"}", 422,
                        "backends.p.servers.a.addr", null),
                Arguments.of("stale If-Match", "PATCH", "/api/v1/backends/p/servers/a", "{\"weight\": 2}", 412, "", null),
                Arguments.of("invalid whole file", "PUT", "/api/v1/config", "[frontends.f]\nlisten_addr = 3\n", 422,
                        "frontends.f.listen_addr", null),
                Arguments.of("10 MB body", "PATCH", "/api/v1/backends/p/servers/a", big, 413, "", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithoutChangingAnything(String name, String method, String path, String body, int status,
            String problemPath, String problemMessage) {
        String before = api.fileDigestAndVersion();
        ConveyConfig running = daemon.daemon().engine().config();
        String[] headers = name.startsWith("stale") ? new String[] {"If-Match", "\"" + (api.version() - 1) + "\""}
                : name.startsWith("foreign") ? new String[] {"If-Match", "\"etag-of-someone-else\""}
                : name.startsWith("text/plain") ? new String[] {"Content-Type", "text/plain"}
                : new String[0];

        var response = api.send(method, path, body, headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = Api.json(response);
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.get("problems").isArray()).isTrue();
        if (problemPath != null) {
            assertThat(error.get("problems")).anySatisfy(p -> {
                assertThat(p.get("path").asText()).isEqualTo(problemPath);
                if (problemMessage != null) {
                    assertThat(p.get("message").asText()).isEqualTo(problemMessage);
                }
            });
        }
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(api.fileDigestAndVersion()).isEqualTo(before);
        assertThat(daemon.daemon().engine().config()).isEqualTo(running);
    }
}
