package io.convey.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The packages under test, built by {@code build-packages.sh} in the Maven package phase; rebuilt here when
 * missing or older than the daemon's jar (a test started from an IDE, or a jar rebuilt since).
 */
final class Packages {
    static final Path INSTALLER = locateInstallerDir();
    static final Path OUT = INSTALLER.resolve("target/packages");
    static final Path DAEMON_JAR = INSTALLER.resolveSibling("core").resolve("target/convey.jar");
    private static boolean checked;

    private Packages() {
    }

    static synchronized Path deb() throws IOException, InterruptedException {
        ensureBuilt();
        return only("convey_*_amd64.deb");
    }

    static synchronized Path tarball() throws IOException, InterruptedException {
        ensureBuilt();
        return only("convey-*-linux-x64.tar.gz");
    }

    private static void ensureBuilt() throws IOException, InterruptedException {
        if (checked) {
            return;
        }
        if (!Files.isRegularFile(DAEMON_JAR)) {
            throw new AssertionError(DAEMON_JAR + " not found: build core first (./mvnw -B -DskipTests package)");
        }
        if (isStale(find("convey_*_amd64.deb")) || isStale(find("convey-*-linux-x64.tar.gz"))) {
            Commands.run(Duration.ofMinutes(5), "bash", INSTALLER.resolve("build-packages.sh").toString()).assertSuccess();
        }
        checked = true;
    }

    private static boolean isStale(Path artifact) throws IOException {
        return artifact == null || Files.getLastModifiedTime(artifact).compareTo(Files.getLastModifiedTime(DAEMON_JAR)) < 0;
    }

    private static Path only(String glob) throws IOException {
        Path found = find(glob);
        if (found == null) {
            throw new AssertionError("no " + glob + " in " + OUT);
        }
        return found;
    }

    private static Path find(String glob) throws IOException {
        if (!Files.isDirectory(OUT)) {
            return null;
        }
        try (Stream<Path> files = Files.list(OUT)) {
            var matcher = OUT.getFileSystem().getPathMatcher("glob:" + glob);
            var matches = files.filter(p -> matcher.matches(p.getFileName())).toList();
            if (matches.size() > 1) {
                throw new AssertionError("more than one " + glob + " in " + OUT + ": " + matches);
            }
            return matches.isEmpty() ? null : matches.getFirst();
        }
    }

    /** Maven runs tests in the module's directory; an IDE may run them from the repository root. */
    private static Path locateInstallerDir() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("build-packages.sh")) ? here : here.resolve("installer");
    }
}
