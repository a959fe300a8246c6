package io.convey.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebPackageContentsIT {
    @TempDir
    static Path root;
    private static DebPackage deb;

    @BeforeAll
    static void buildAndExtract() throws Exception {
        deb = new DebPackage(Packages.deb());
        deb.extract(root);
    }

    private static String text(String absolutePath) throws Exception {
        return Files.readString(root.resolve(absolutePath.substring(1)));
    }

    @Test
    void controlFieldsNameTheVersionAndDependencies() throws Exception {
        assertThat(deb.field("Package")).isEqualTo("convey");
        assertThat(deb.field("Version")).isEqualTo(DebPackage.jarVersion().replace('-', '~'));
        assertThat(deb.field("Architecture")).isEqualTo("amd64");
        assertThat(deb.field("Depends")).isEqualTo("libc6 (>= 2.17), adduser");
        assertThat(Integer.parseInt(deb.field("Installed-Size"))).as("KiB").isBetween(40_000, 200_000);
    }

    @Test
    void theConfigFileIsAConffileAndEveryMaintainerScriptIsThere() throws Exception {
        assertThat(deb.control("conffiles").lines()).containsExactly("/etc/convey/convey.toml");
        assertThat(deb.info()).containsPattern("\\*\\s+postinst\\s+#!/bin/sh")
                .containsPattern("\\*\\s+prerm\\s+#!/bin/sh")
                .containsPattern("\\*\\s+postrm\\s+#!/bin/sh");
        for (String script : new String[] {"postinst", "prerm", "postrm"}) {
            Commands.run(Duration.ofSeconds(10), "sh", "-n", "-c", deb.control(script)).assertSuccess();
            assertThat(deb.control(script)).as(script + " calls systemctl only where systemd runs")
                    .contains("if [ -d /run/systemd/system ]; then");
        }
    }

    @Test
    void shipsTheLauncherATrimmedRuntimeTheUnitAndTheSampleConfigAllOwnedByRoot() throws Exception {
        assertThat(deb.shippedFiles()).contains("/opt/convey/bin/convey", "/opt/convey/lib/app/convey.jar",
                "/opt/convey/lib/runtime/lib/server/libjvm.so", "/etc/convey/convey.toml",
                "/lib/systemd/system/convey.service", "/usr/share/doc/convey/copyright", "/usr/bin/convey")
                .as("jlink --strip-native-commands: no java launcher beside ours").doesNotContain("/opt/convey/lib/runtime/bin/java");
        assertThat(deb.listing()).anyMatch(l -> l.startsWith("lrwxrwxrwx") && l.endsWith("./usr/bin/convey -> /opt/convey/bin/convey"))
                .allMatch(l -> l.split("\\s+")[1].equals("root/root"));
    }

    @Test
    void theUnitRunsTheDaemonUnprivilegedWithThreeCapabilitiesAndReloadsOnHangup() throws Exception {
        UnitFile unit = UnitFile.parse(text("/lib/systemd/system/convey.service"));
        assertThat(unit.get("ExecStart")).isEqualTo("/opt/convey/bin/convey --config=/etc/convey/convey.toml");
        assertThat(unit.get("User")).isEqualTo("convey");
        assertThat(unit.get("Group")).isEqualTo("convey");
        assertThat(UnitFile.capabilities(unit.get("AmbientCapabilities")))
                .containsExactlyInAnyOrder("net_raw", "net_admin", "net_bind_service");
        assertThat(UnitFile.capabilities(unit.get("CapabilityBoundingSet")))
                .containsExactlyInAnyOrder("net_raw", "net_admin", "net_bind_service");
        assertThat(unit.get("ExecReload")).isEqualTo("/bin/kill -HUP $MAINPID");
        assertThat(unit.get("Restart")).isEqualTo("on-failure");
        assertThat(unit.get("StandardOutput")).isEqualTo("journal");
        assertThat(unit.get("StandardError")).isEqualTo("journal");
    }

    @Test
    void theSampleConfigKeepsTheAdminApiOnLoopback() throws Exception {
        assertThat(text("/etc/convey/convey.toml").lines().filter(l -> !l.startsWith("#")).toList())
                .containsSubsequence("[admin]", "listen_addr = \"127.0.0.1:7000\"", "state_dir = \"/var/lib/convey\"")
                .as("the plain-text token file is gone").noneMatch(l -> l.contains("token_file"))
                .as("nothing but the admin API listens as installed").noneMatch(l -> l.startsWith("[frontends"));
    }

    @Test
    void theRuntimeHoldsEveryModuleTheJarNeeds() throws Exception {
        String modules = text("/opt/convey/lib/runtime/release").lines().filter(l -> l.startsWith("MODULES="))
                .findFirst().orElseThrow().replaceAll("MODULES=|\"", "");
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        String needed = Commands.run(Duration.ofMinutes(3), jdeps.toString(), "--multi-release", "25",
                "--ignore-missing-deps", "--print-module-deps", Packages.DAEMON_JAR.toString()).assertSuccess().stdout().strip();
        assertThat(modules.split(" ")).as("runtime modules vs jdeps " + needed + " (DAEMON_MODULES in build-packages.sh)")
                .contains(needed.split(",")).contains("jdk.httpserver", "jdk.unsupported", "jdk.zipfs");
    }
}
