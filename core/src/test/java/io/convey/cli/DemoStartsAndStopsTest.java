package io.convey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoStartsAndStopsTest {

    @Test
    void theDemoServesTrafficWithinSecondsAndStopsCleanlyOnSigterm() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.convey.Main", "--demo").redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(output::add);
            } catch (java.io.IOException e) {
                // process ended
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> output.stream().anyMatch(l -> l.contains("stats ")));
            Matcher frontend = find(output, "frontend\\s+(http://127\\.0\\.0\\.1:\\d+/)");
            Matcher stats = find(output, "stats\\s+(http://127\\.0\\.0\\.1:\\d+/stats)");
            Path scratch = Path.of(find(output, "config\\s+(/\\S+/convey\\.toml)").group(1)).getParent();
            assertThat(scratch.resolve("convey.toml")).exists();
            HttpClient http = HttpClient.newHttpClient();
            String body = http.send(HttpRequest.newBuilder(URI.create(frontend.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).startsWith("Hello from backend-");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.send(
                    HttpRequest.newBuilder(URI.create(stats.group(1))).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).contains("\"total_connections\"").doesNotContain("\"total_connections\":0,"));
            // SIGTERM, the same shutdown path as Ctrl-C; Process.destroy() would also close our end of the pipe.
            new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor();
            assertThat(demo.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
            assertThat(demo.exitValue()).as("exit status after SIGTERM, output %s", output).isEqualTo(143);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output).anyMatch(l -> l.contains("Daemon: stopped")));
            assertThat(scratch).as("the demo's directory (config, history, initial password) removed on exit").doesNotExist();
        } finally {
            demo.destroyForcibly();
        }
    }

    private static Matcher find(List<String> lines, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new AssertionError(regex + " not in " + lines));
    }
}
