package io.convey.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the .deb on this machine, runs the installed daemon exactly as its systemd unit would (this
 * machine has no systemd: setpriv applies the unit's user, group and capabilities), logs in to its admin API
 * like an operator (the initial password read as root, curl trusting the generated certificate), passes traffic
 * through it, reloads it the unit's way, upgrades it, then removes and purges the package.
 */
class InstalledDaemonRunsAsTheUnitDoesIT {
    private static final Path CONFIG = Path.of("/etc/convey/convey.toml");
    private static final Path UNIT = Path.of("/lib/systemd/system/convey.service");
    private static final Path STATE = Path.of("/var/lib/convey");
    private static final Path PASSWORD = STATE.resolve("initial-admin-password");
    private static final Path CERT = STATE.resolve("admin-cert.pem");
    private static final Path USERS = Path.of("/etc/convey/users.json");
    /** Files holding secrets (or what vouches for them) and the owner and mode each must have. */
    private static final Map<Path, String> SECRETS = Map.of(PASSWORD, "root:root 600", USERS, "convey:convey 600",
            STATE.resolve("admin-key.pem"), "convey:convey 600", STATE.resolve("tokens.json"), "convey:convey 600",
            STATE.resolve("audit.log"), "convey:convey 600");
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
            anUpgradeKeepsUsersTokensAndTheCertificate(deb);

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
        assertThat(ownerAndMode(STATE)).isEqualTo("convey:convey 750");
        assertThat(Commands.run(QUICK, "stat", "-c", "%U:%G %a", "/etc/convey", CONFIG.toString()).assertSuccess().stdout())
                .as("the daemon writes API edits back to its file").isEqualTo("root:convey 770\nroot:convey 660\n");
        assertThat(ownerAndMode(PASSWORD)).as("the first admin's password: root only").isEqualTo("root:root 600");
        assertThat(Files.readString(PASSWORD)).matches("[A-Za-z0-9]{20,}\n");
        assertThat(ownerAndMode(USERS)).as("users and password hashes, the daemon's").isEqualTo("convey:convey 600");
        assertThat(Files.readString(USERS)).contains("\"admin\"").contains("$argon2id$")
                .doesNotContain(Files.readString(PASSWORD).strip());
        var verify = Commands.run(QUICK, "systemd-analyze", "verify", UNIT.toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stderr()).as("systemd-analyze verify warnings").isEmpty();
    }

    private void theInstalledCommandRuns() throws Exception {
        assertThat(Commands.run(QUICK, "convey", "--version").assertSuccess().stdout().strip())
                .isEqualTo(DebPackage.jarVersion());
        assertThat(Commands.run(QUICK, "convey", "--validate", "--config=" + CONFIG).assertSuccess().stdout())
                .isEqualTo(CONFIG + ": valid (0 frontends, 0 pools, 0 servers)\n");
        assertThat(Commands.run(QUICK, "convey", "--admin-fingerprint", "--config=" + CONFIG).exitCode())
                .as("no certificate before the daemon's first start").isEqualTo(2);
    }

    private void runTheDaemonAsTheUnitDoes(Path dir) throws Exception {
        UnitFile unit = UnitFile.parse(Files.readString(UNIT));
        String installed = Files.readString(CONFIG);
        Path output = dir.resolve("daemon.log");
        try (NamedServer backend = new NamedServer("installed")) {
            int frontendPort = freePrivilegedPort();
            int adminPort = Tcp.freePort();
            // Written in place, so the file keeps the owner and mode postinst gave it.
            String password = Files.readString(PASSWORD);
            Files.writeString(CONFIG, config(frontendPort, backend.address().getPort(), adminPort));
            Process daemon = new ProcessBuilder(unit.setprivCommand()).directory(Path.of(unit.get("WorkingDirectory")).toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                await("admin API of the installed daemon over HTTPS").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> !daemon.isAlive() || Files.exists(CERT) && stats(adminPort) != null);
                assertThat(daemon.isAlive()).as(Files.readString(output)).isTrue();
                runsUnprivilegedWithTheUnitsCapabilities(daemon.pid());
                theCertificateIsTheOneTheFingerprintNames(adminPort, output);
                String token = anOperatorLogsInAndChangesAWeight(adminPort);

                InetSocketAddress frontend = new InetSocketAddress(InetAddress.getLoopbackAddress(), frontendPort);
                for (int i = 0; i < 20; i++) {
                    assertThat(Tcp.exchange(frontend, "ping " + i)).isEqualTo("installed/ping " + i);
                }
                await("counters").atMost(Duration.ofSeconds(5)).until(() -> totalConnections(stats(adminPort)) == 20);
                Commands.Result dashboard = curl(adminPort, "/", "--cacert", CERT.toString());
                assertThat(dashboard.stdout()).as("the dashboard from the packaged runtime").contains("<html").endsWith("\n200");
                assertThat(curl(adminPort, "/api/v1/users", "--cacert", CERT.toString(), "-H", "Authorization: Bearer "
                        + token).stdout()).as("the token reads what its admin may").contains("\"admin\"").endsWith("\n200");
                everySecretFileIsOwnerOnly();

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
                        .contains("running in proxy mode, config " + CONFIG).contains("Daemon: stopped")
                        .doesNotContain(password.strip());
                assertThat(Files.readString(PASSWORD)).as("users exist: the daemon made no password of its own")
                        .isEqualTo(password);
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

    /** What {@code convey --admin-fingerprint} prints is the SHA-256 of the certificate the daemon serves. */
    private void theCertificateIsTheOneTheFingerprintNames(int adminPort, Path output) throws Exception {
        String printed = Commands.run(QUICK, "convey", "--admin-fingerprint", "--config=" + CONFIG).assertSuccess()
                .stdout().strip();
        assertThat(printed).isEqualTo("SHA256 Fingerprint=" + fingerprint(CERT));
        assertThat(Files.readString(output)).as("logged at start").contains(fingerprint(CERT));
        var untrusted = curl(adminPort, "/stats");
        assertThat(untrusted.exitCode()).as("curl without --cacert: the certificate is not trusted (exit 60)").isEqualTo(60);
        assertThat(Commands.run(QUICK, "curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + adminPort + "/stats")
                .stdout()).as("no plain HTTP answer").doesNotContain("total_connections");
    }

    /**
     * As an operator does after installing: reads the initial password as root, logs in with curl for a token, and
     * changes a server's weight with it; without the token the same write is refused and changes nothing.
     */
    private String anOperatorLogsInAndChangesAWeight(int adminPort) throws Exception {
        String cacert = CERT.toString();
        String write = "{\"weight\": 3}";
        var anonymous = curl(adminPort, "/api/v1/backends/pool/servers/a", "--cacert", cacert, "-X", "PATCH",
                "-H", "Content-Type: application/json", "--data", write);
        assertThat(anonymous.stdout()).as("a write without a credential").contains("login required").endsWith("\n401");
        assertThat(Files.readString(CONFIG)).doesNotContain("weight = 3");

        String login = "{\"user\": \"admin\", \"password\": \"" + Files.readString(PASSWORD).strip()
                + "\", \"token_name\": \"installer-check\"}";
        var answer = curl(adminPort, "/api/v1/login", "--cacert", cacert, "-H", "Content-Type: application/json",
                "--data", login);
        assertThat(answer.stdout()).as(answer.toString()).endsWith("\n201").contains("\"role\":\"admin\"");
        Matcher token = Pattern.compile("\"token\":\"(cvy_[^\"]+)\"").matcher(answer.stdout());
        assertThat(token.find()).as(answer.stdout()).isTrue();

        var changed = curl(adminPort, "/api/v1/backends/pool/servers/a", "--cacert", cacert, "-X", "PATCH",
                "-H", "Content-Type: application/json", "-H", "Authorization: Bearer " + token.group(1), "--data", write);
        assertThat(changed.stdout()).as(changed.toString()).endsWith("\n200");
        await("written back").atMost(Duration.ofSeconds(10)).until(() -> Files.readString(CONFIG).contains("weight = 3"));
        return token.group(1);
    }

    private static void everySecretFileIsOwnerOnly() throws Exception {
        for (var secret : SECRETS.entrySet()) {
            assertThat(ownerAndMode(secret.getKey())).as(secret.getKey().toString()).isEqualTo(secret.getValue());
        }
        assertThat(ownerAndMode(CERT)).as("the certificate is the daemon's").startsWith("convey:convey ");
        assertThat(Files.readString(STATE.resolve("tokens.json"))).as("tokens are stored hashed").doesNotContain("cvy_");
        assertThat(Files.readString(STATE.resolve("audit.log"))).contains("\"user\":\"admin\"").contains("PATCH");
    }

    /** Installing the same package again is dpkg's upgrade path: the appliance's identity and users stay. */
    private void anUpgradeKeepsUsersTokensAndTheCertificate(DebPackage deb) throws Exception {
        List<Path> kept = List.of(PASSWORD, USERS, CERT, STATE.resolve("admin-key.pem"), STATE.resolve("tokens.json"));
        Map<Path, String> before = new java.util.HashMap<>();
        for (Path file : kept) {
            before.put(file, ownerAndMode(file) + "\n" + Files.readString(file));
        }
        String fingerprint = fingerprint(CERT);
        Commands.run(DPKG, "dpkg", "-i", deb.file().toString()).assertSuccess();
        for (Path file : kept) {
            assertThat(ownerAndMode(file) + "\n" + Files.readString(file)).as(file.toString()).isEqualTo(before.get(file));
        }
        assertThat(Commands.run(QUICK, "convey", "--admin-fingerprint", "--config=" + CONFIG).assertSuccess().stdout())
                .isEqualTo("SHA256 Fingerprint=" + fingerprint + "\n");
        assertThat(ownerAndMode(STATE)).isEqualTo("convey:convey 750");
    }

    private static String ownerAndMode(Path file) throws IOException, InterruptedException {
        return Commands.run(QUICK, "stat", "-c", "%U:%G %a", file.toString()).assertSuccess().stdout().strip();
    }

    /** The SHA-256 fingerprint of a PEM certificate as openssl prints it: AB:CD:... */
    private static String fingerprint(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            byte[] der = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
            return java.util.HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
        }
    }

    /** curl to the admin API on loopback over HTTPS; stdout ends with a line holding the HTTP status. */
    private static Commands.Result curl(int adminPort, String path, String... options) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "5", "-w", "\n%{http_code}"));
        command.addAll(List.of(options));
        command.add("https://127.0.0.1:" + adminPort + path);
        return Commands.run(QUICK, command.toArray(String[]::new));
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
                state_dir = "/var/lib/convey"
                """.formatted(frontendPort, backendPort, adminPort);
    }

    /** {@code /stats} (open without a credential, as documented) over HTTPS trusting the generated certificate. */
    private static String stats(int adminPort) {
        try {
            Commands.Result result = curl(adminPort, "/stats", "--cacert", CERT.toString());
            String out = result.stdout();
            return result.exitCode() == 0 && out.endsWith("\n200") ? out.substring(0, out.lastIndexOf('\n')) : null;
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
