package io.convey.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the .deb on this machine, runs the installed daemon exactly as its systemd unit would (this
 * machine has no systemd: setpriv applies the unit's user, group and capabilities), passes traffic through
 * it, reloads it the unit's way, then removes and purges the package.
 */
class InstalledDaemonRunsAsTheUnitDoesIT {
    private static final Path CONFIG = Path.of("/etc/convey/convey.toml");
    private static final Path UNIT = Path.of("/lib/systemd/system/convey.service");
    private static final Duration DPKG = Duration.ofMinutes(3);
    private static final Duration QUICK = Duration.ofSeconds(60);
    /** CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13), as /proc/PID/status prints them. */
    private static final long UNIT_CAPABILITIES = (1L << 10) | (1L << 12) | (1L << 13);

    @Test
    void installRunReloadStopRemoveAndPurge(@TempDir Path dir) throws Exception {
        assertThat(System.getProperty("user.name")).as("the test installs with dpkg: run it as root").isEqualTo("root");
        assertThat(installedState()).as("convey is installed on this machine; the test installs and purges it: "
                + "remove it first (dpkg -P convey)").isEmpty();
        DebPackage deb = new DebPackage(Packages.deb());
        String shippedConfig = deb.fileText(CONFIG.toString());
        try {
            Commands.run(DPKG, "dpkg", "-i", deb.file().toString()).assertSuccess();
            assertThat(installedState()).isEqualTo("install ok installed");
            installationIsInPlace();
            theInstalledCommandRuns();
            runTheDaemonAsTheUnitDoes(dir);
            anUpgradeKeepsALocallyEditedConfig(deb, shippedConfig);

            Commands.run(DPKG, "dpkg", "-r", "convey").assertSuccess();
            onlyTheConffileIsLeft(deb, shippedConfig);

            Commands.run(DPKG, "dpkg", "-P", "convey").assertSuccess();
            nothingIsLeft();
        } finally {
            if (!installedState().isEmpty()) {
                Commands.run(DPKG, "dpkg", "-P", "convey");
            }
        }
    }

    private void installationIsInPlace() throws Exception {
        assertThat(Commands.run(QUICK, "getent", "passwd", "convey").assertSuccess().stdout())
                .as("a system user without a login shell").matches("convey:x:\\d{1,3}:\\d+:.*:/var/lib/convey:/usr/sbin/nologin\\n");
        assertThat(Files.readSymbolicLink(Path.of("/usr/bin/convey"))).isEqualTo(Path.of("/opt/convey/bin/convey"));
        assertThat(Files.getOwner(Path.of("/var/lib/convey")).getName()).isEqualTo("convey");
        assertThat(Commands.run(QUICK, "stat", "-c", "%U:%G %a", "/etc/convey", CONFIG.toString()).assertSuccess().stdout())
                .as("the daemon writes API edits back to its file").isEqualTo("root:convey 770\nroot:convey 660\n");
        var verify = Commands.run(QUICK, "systemd-analyze", "verify", UNIT.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stderr()).as("systemd-analyze verify warnings").isEmpty();
    }

    private void theInstalledCommandRuns() throws Exception {
        assertThat(Commands.run(QUICK, "convey", "--version").assertSuccess().stdout().strip())
                .isEqualTo(DebPackage.jarVersion());
        assertThat(Commands.run(QUICK, "convey", "--validate", "--config=" + CONFIG).assertSuccess().stdout())
                .isEqualTo(CONFIG + ": valid (0 frontends, 0 pools, 0 servers)\n");
    }

    private void runTheDaemonAsTheUnitDoes(Path dir) throws Exception {
        UnitFile unit = UnitFile.parse(Files.readString(UNIT));
        String installed = Files.readString(CONFIG);
        Path output = dir.resolve("daemon.log");
        try (NamedServer backend = new NamedServer("installed")) {
            int frontendPort = freePrivilegedPort();
            int adminPort = Tcp.freePort();
            // Written in place, so the file keeps the owner and mode postinst gave it.
            Files.writeString(CONFIG, config(frontendPort, backend.address().getPort(), adminPort));
            Process daemon = new ProcessBuilder(unit.setprivCommand()).directory(Path.of(unit.get("WorkingDirectory")).toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                await("admin API of the installed daemon").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !daemon.isAlive() || stats(adminPort) != null);
                assertThat(daemon.isAlive()).as(Files.readString(output)).isTrue();
                runsUnprivilegedWithTheUnitsCapabilities(daemon.pid());

                InetSocketAddress frontend = new InetSocketAddress(InetAddress.getLoopbackAddress(), frontendPort);
                for (int i = 0; i < 20; i++) {
                    assertThat(Tcp.exchange(frontend, "ping " + i)).isEqualTo("installed/ping " + i);
                }
                await("counters").atMost(Duration.ofSeconds(5)).until(() -> totalConnections(stats(adminPort)) == 20);
                HttpResponse<String> dashboard = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(dashboard.statusCode()).as("the dashboard from the packaged runtime").isEqualTo(200);
                assertThat(dashboard.body()).contains("<html");

                String reload = unit.get("ExecReload").replace("$MAINPID", Long.toString(daemon.pid()));
                Commands.run(QUICK, reload.split(" ")).assertSuccess();
                await("reload logged").atMost(Duration.ofSeconds(10)).until(() -> Files.readString(output)
                        .contains("reload requested signal=SIGHUP"));
                assertThat(daemon.isAlive()).as("SIGHUP reloads, it does not stop the JVM").isTrue();
                assertThat(Tcp.exchange(frontend, "after reload")).isEqualTo("installed/after reload");

                daemon.destroy();
                assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(daemon.exitValue()).as("SIGTERM exit status, listed in SuccessExitStatus")
                        .isEqualTo(Integer.parseInt(unit.get("SuccessExitStatus")));
                assertThat(Files.readString(output)).as("what the journal gets")
                        .contains("running in proxy mode, config " + CONFIG).contains("Daemon: stopped");
            } finally {
                daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                Files.writeString(CONFIG, installed);
            }
        }
    }

    /** Installing the package again takes dpkg's upgrade path through the maintainer scripts. */
    private void anUpgradeKeepsALocallyEditedConfig(DebPackage deb, String shippedConfig) throws Exception {
        String edited = shippedConfig + "# edited on this machine\n";
        Files.writeString(CONFIG, edited);
        Commands.run(DPKG, "dpkg", "-i", deb.file().toString()).assertSuccess();
        assertThat(Files.readString(CONFIG)).isEqualTo(edited);
        assertThat(Commands.run(QUICK, "stat", "-c", "%U:%G %a", CONFIG.toString()).assertSuccess().stdout())
                .isEqualTo("root:convey 660\n");
        Files.writeString(CONFIG, shippedConfig);
    }

    private static void runsUnprivilegedWithTheUnitsCapabilities(long pid) throws IOException, InterruptedException {
        String uid = Commands.run(QUICK, "id", "-u", "convey").assertSuccess().stdout().strip();
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        assertThat(status).contains("Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid, "NoNewPrivs:\t1");
        for (String set : List.of("CapEff", "CapPrm", "CapAmb", "CapBnd")) {
            String line = status.stream().filter(l -> l.startsWith(set + ":")).findFirst().orElseThrow();
            assertThat(Long.parseLong(line.substring(line.indexOf('\t') + 1), 16)).as(line).isEqualTo(UNIT_CAPABILITIES);
        }
    }

    private void onlyTheConffileIsLeft(DebPackage deb, String shippedConfig) throws Exception {
        assertThat(installedState()).isEqualTo("deinstall ok config-files");
        for (String file : deb.shippedFiles()) {
            if (!file.equals(CONFIG.toString())) {
                assertThat(Path.of(file)).as(file).satisfies(p -> assertThat(Files.exists(p, LinkOption.NOFOLLOW_LINKS)).isFalse());
            }
        }
        assertThat(Path.of("/opt/convey")).doesNotExist();
        assertThat(Files.readString(CONFIG)).isEqualTo(shippedConfig);
    }

    private void nothingIsLeft() throws Exception {
        assertThat(installedState()).isEmpty();
        assertThat(Commands.run(QUICK, "getent", "passwd", "convey").exitCode()).as("user convey").isEqualTo(2);
        assertThat(Commands.run(QUICK, "getent", "group", "convey").exitCode()).as("group convey").isEqualTo(2);
        assertThat(Path.of("/etc/convey")).doesNotExist();
        assertThat(Path.of("/var/lib/convey")).doesNotExist();
    }

    /** dpkg's status line for convey; empty when dpkg does not know it (never installed, or purged). */
    private static String installedState() throws IOException, InterruptedException {
        var query = Commands.run(QUICK, "dpkg-query", "-W", "-f=${Status}", "convey");
        return query.exitCode() != 0 || query.stdout().endsWith("not-installed") ? "" : query.stdout();
    }

    private static String config(int frontendPort, int backendPort, int adminPort) {
        return """
                [frontends.web]
                listen_addr = "127.0.0.1:%d"
                backend = "pool"

                [backends.pool]
                health_check_interval = 1
                  [backends.pool.servers.a]
                  addr = "127.0.0.1:%d"

                [admin]
                listen_addr = "127.0.0.1:%d"
                """.formatted(frontendPort, backendPort, adminPort);
    }

    private static String stats(int adminPort) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/stats")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static long totalConnections(String stats) {
        Matcher m = Pattern.compile("\"total_connections\":(\\d+)").matcher(stats);
        assertThat(m.find()).as(stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A port below 1024, so that binding it needs the unit's CAP_NET_BIND_SERVICE. */
    private static int freePrivilegedPort() {
        for (int port = 1023; port > 900; port--) {
            try {
                new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new AssertionError("no free port in 901-1023 on loopback");
    }
}
