package io.convey.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console package path of build-packages.sh, fed a one-class stand-in for the console's jar: the real
 * console (module gui) is packaged the same way once gui/target/convey-console.jar exists.
 */
class ConsolePackageIT {

    @Test
    void packagesAJarAsConveyConsoleWithADesktopEntryAndTheDesktopLibraries(@TempDir Path dir) throws Exception {
        Path jar = standInConsoleJar(dir);
        Path out = Files.createDirectory(dir.resolve("out"));
        Commands.run(Duration.ofMinutes(3), "bash", Packages.INSTALLER.resolve("build-packages.sh").toString(),
                "console", jar.toString(), out.toString()).assertSuccess();

        DebPackage deb = new DebPackage(out.resolve("convey-console_" + DebPackage.jarVersion().replace('-', '~') + "_amd64.deb"));
        assertThat(deb.field("Package")).isEqualTo("convey-console");
        assertThat(deb.field("Depends")).contains("libgtk-3-0", "libgl1");
        assertThat(deb.shippedFiles()).contains("/opt/convey-console/bin/convey-console", "/usr/bin/convey-console",
                "/usr/share/applications/convey-console.desktop", "/opt/convey-console/lib/convey-console.png");
        String desktop = deb.fileText("/usr/share/applications/convey-console.desktop");
        assertThat(desktop.lines()).contains("[Desktop Entry]", "Type=Application",
                "Exec=/opt/convey-console/bin/convey-console", "Icon=/opt/convey-console/lib/convey-console.png");

        Path extracted = dir.resolve("root");
        Commands.run(Duration.ofMinutes(1), "dpkg-deb", "-x", deb.file().toString(), extracted.toString()).assertSuccess();
        assertThat(Commands.run(Duration.ofSeconds(60), extracted.resolve("opt/convey-console/bin/convey-console").toString(),
                "a", "b").assertSuccess().stdout()).isEqualTo("console stand-in, 2 arguments\n");
    }

    private static Path standInConsoleJar(Path dir) throws Exception {
        Path source = dir.resolve("StandIn.java");
        Files.writeString(source, """
                public class StandIn {
                    public static void main(String[] args) {
                        System.out.println("console stand-in, " + args.length + " arguments");
                    }
                }
                """);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), source.toString())).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StandIn");
        Path jar = dir.resolve("convey-console.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("StandIn.class"));
            out.write(Files.readAllBytes(dir.resolve("StandIn.class")));
            out.closeEntry();
        }
        return jar;
    }
}
