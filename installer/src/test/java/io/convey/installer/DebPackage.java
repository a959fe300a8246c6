package io.convey.installer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarFile;

/** Reads a .deb with dpkg-deb: control fields, file list, one file's text. */
record DebPackage(Path file) {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    String info() throws IOException, InterruptedException {
        return Commands.run(LIMIT, "dpkg-deb", "-I", file.toString()).assertSuccess().stdout();
    }

    String field(String name) throws IOException, InterruptedException {
        return Commands.run(LIMIT, "dpkg-deb", "-f", file.toString(), name).assertSuccess().stdout().strip();
    }

    /** Control member text ({@code conffiles}, {@code postinst}...). */
    String control(String member) throws IOException, InterruptedException {
        return Commands.run(LIMIT, "sh", "-c", "dpkg-deb --ctrl-tarfile \"$0\" | tar -xO ./" + member, file.toString())
                .assertSuccess().stdout();
    }

    /** {@code dpkg-deb -c} lines: mode, owner, size, date, time, path (and "-> target" for links). */
    List<String> listing() throws IOException, InterruptedException {
        return Commands.run(LIMIT, "dpkg-deb", "-c", file.toString()).assertSuccess().stdout().lines().toList();
    }

    /** Absolute paths of the regular files and links the package ships (directories left out). */
    List<String> shippedFiles() throws IOException, InterruptedException {
        return listing().stream().filter(l -> !l.startsWith("d"))
                .map(l -> l.split("\\s+")[5].substring(1)).toList();
    }

    /** Unpacks the file tree into {@code root}, as dpkg would under /. */
    Path extract(Path root) throws IOException, InterruptedException {
        Commands.run(LIMIT, "dpkg-deb", "-x", file.toString(), root.toString()).assertSuccess();
        return root;
    }

    String fileText(String absolutePath) throws IOException, InterruptedException {
        return Commands.run(LIMIT, "sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xO ." + absolutePath, file.toString())
                .assertSuccess().stdout();
    }

    /** The version the daemon's jar reports, as the package spells it (0.4.0-SNAPSHOT becomes 0.4.0~SNAPSHOT). */
    static String jarVersion() throws IOException {
        try (JarFile jar = new JarFile(Packages.DAEMON_JAR.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
    }
}
