package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.DeltaType;
import io.convey.cli.Daemon;
import io.convey.config.ConveyConfig;
import io.convey.config.PoolConfig;
import io.convey.config.ServerConfig;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The original convey's sample files, edited through the API: a weight change rewrites exactly one line,
 * adding a server only adds lines, and removing it again gives back the file byte-for-byte.
 */
class SampleFilesRoundTripTest {
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*listen_addr = )\"[^\"]*\"");
    private static final Pattern ADDR = Pattern.compile("(?m)^(\\s*addr = )\"[^\"]*\"");
    private static final Pattern STATS_PORT = Pattern.compile("(?m)^port = \"7000\"");

    @ParameterizedTest
    @ValueSource(strings = {"sample.toml", "sample-proxy.toml", "sample-passthrough.toml", "proxy_test.toml",
            "passthrough_test.toml", "test.toml"})
    void editsTouchOnlyTheirOwnLines(String sample, @TempDir Path dir) throws Exception {
        String original = resource("/original/" + sample);
        List<NamedServer> backends = new ArrayList<>();
        try {
            try (NamedServer extra = new NamedServer("extra");
                    RunningDaemon daemon = start(dir, localize(original, backends))) {
                String local = Files.readString(daemon.config(), StandardCharsets.UTF_8); // the ports it runs with
                Api api = new Api(daemon);
                ConveyConfig config = daemon.daemon().engine().config();
                PoolConfig pool = config.backends().values().iterator().next();
                ServerConfig server = pool.servers().values().iterator().next();
                int weight = server.weight() + 7;

                var patched = api.send("PATCH", "/api/v1/backends/" + pool.name() + "/servers/" + server.name(),
                        "{\"weight\": " + weight + "}", "If-Match", "\"1\"");
                assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
                assertThat(Api.json(patched).get("config_version").asLong()).isEqualTo(2);
                String afterWeight = api.fileText();
                List<AbstractDelta<String>> deltas = deltas(local, afterWeight);
                assertThat(deltas).hasSize(1);
                assertThat(deltas.getFirst().getTarget().getLines()).singleElement().asString()
                        .matches("\\s*weight = " + weight);
                assertThat(deltas.getFirst().getSource().getLines()).hasSizeLessThanOrEqualTo(1);
                assertThat(daemon.daemon().engine().config().backends().get(pool.name()).servers().get(server.name())
                        .weight()).isEqualTo(weight);

                var added = api.send("POST", "/api/v1/backends/" + pool.name() + "/servers",
                        "{\"name\": \"added\", \"addr\": \"" + extra.addr() + "\", \"weight\": 3}");
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
                String afterAdd = api.fileText();
                assertThat(deltas(afterWeight, afterAdd)).allSatisfy(d -> assertThat(d.getType()).isEqualTo(DeltaType.INSERT));
                assertThat(afterAdd).contains("servers.added]").contains("addr = \"" + extra.addr() + "\"");
                assertThat(daemon.daemon().engine().config().backends().get(pool.name()).servers()).containsKey("added");

                var removed = api.send("DELETE", "/api/v1/backends/" + pool.name() + "/servers/added", null);
                assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
                assertThat(api.fileText()).isEqualTo(afterWeight);
                assertThat(api.version()).isEqualTo(4);
            }
        } finally {
            for (NamedServer backend : backends) {
                backend.close();
            }
        }
    }

    /**
     * Starts the daemon; if a listen port that was free when the sample was localized has been taken since (by
     * another test's socket), picks new ports and tries again, twice at most. Other problems fail at once.
     */
    private static RunningDaemon start(Path dir, String local) throws Exception {
        String toml = local;
        for (int attempt = 1; ; attempt++) {
            try {
                return RunningDaemon.start(dir, toml);
            } catch (Daemon.StartupException e) {
                boolean portTaken = !e.problems().isEmpty() && e.problems().stream()
                        .allMatch(p -> p.path().endsWith(".listen_addr") && p.message().contains("cannot be bound"));
                if (!portTaken || attempt == 3) {
                    throw e;
                }
                toml = relisten(toml);
            }
        }
    }

    /** Every listen address on its loopback address as before, with a new free port. */
    private static String relisten(String toml) {
        StringBuilder out = new StringBuilder();
        Matcher listen = LISTEN.matcher(toml);
        int frontend = 0;
        while (listen.find()) {
            listen.appendReplacement(out, listen.group(1) + "\"127.0.0." + (++frontend) + ":"
                    + io.convey.testing.Tcp.freeLoopbackPort() + "\"");
        }
        return listen.appendTail(out).toString();
    }

    /**
     * Makes a sample safe to run here: every listen address on its own loopback address with a free port,
     * every server address pointing at a live loopback backend, stats on a free port. Nothing else changes.
     */
    static String localize(String toml, List<NamedServer> backends) throws IOException {
        Matcher addr = ADDR.matcher(relisten(toml));
        StringBuilder withServers = new StringBuilder();
        while (addr.find()) {
            NamedServer backend = new NamedServer("s" + backends.size());
            backends.add(backend);
            addr.appendReplacement(withServers, addr.group(1) + "\"" + backend.addr() + "\"");
        }
        addr.appendTail(withServers);
        return STATS_PORT.matcher(withServers).replaceAll("port = \"0\"");
    }

    private static List<AbstractDelta<String>> deltas(String before, String after) {
        return DiffUtils.diff(before.lines().toList(), after.lines().toList()).getDeltas();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SampleFilesRoundTripTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
