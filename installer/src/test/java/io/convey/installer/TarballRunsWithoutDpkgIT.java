package io.convey.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballRunsWithoutDpkgIT {

    @Test
    void extractsToOneConveyDirectoryWhoseLauncherRunsWithItsOwnRuntime(@TempDir Path dir) throws Exception {
        Path tarball = Packages.tarball();
        assertThat(tarball.getFileName().toString()).isEqualTo("convey-" + DebPackage.jarVersion() + "-linux-x64.tar.gz");
        Commands.run(Duration.ofMinutes(2), "tar", "-xzf", tarball.toString(), "-C", dir.toString()).assertSuccess();
        try (var top = Files.list(dir)) {
            assertThat(top.map(p -> p.getFileName().toString())).containsExactly("convey");
        }
        Path convey = dir.resolve("convey");
        assertThat(convey.resolve("bin/convey")).isExecutable();
        assertThat(convey.resolve("lib/systemd/convey.service")).content()
                .isEqualTo(Files.readString(Packages.INSTALLER.resolve("src/main/package/convey.service")));
        assertThat(convey.resolve("etc/convey.toml")).content()
                .isEqualTo(Files.readString(Packages.INSTALLER.resolve("src/main/package/convey.toml")));

        // From another directory and with no JDK on the PATH: the launcher finds its runtime by its own location.
        var version = Commands.run(Duration.ofSeconds(60), dir.toFile().getParentFile().toPath(),
                "env", "-i", "PATH=/usr/bin:/bin", convey.resolve("bin/convey").toString(), "--version");
        assertThat(version.assertSuccess().stdout().strip()).isEqualTo(DebPackage.jarVersion());
        var validate = Commands.run(Duration.ofSeconds(60), "env", "-i", "PATH=/usr/bin:/bin",
                convey.resolve("bin/convey").toString(), "--validate", "--config=" + convey.resolve("etc/convey.toml"));
        assertThat(validate.assertSuccess().stdout()).endsWith("valid (0 frontends, 0 pools, 0 servers)\n");
    }
}
