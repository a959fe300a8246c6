package io.convey.announce;

import io.convey.config.ConveyConfig;
import io.convey.config.VrrpConfig;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managed keepalived include file ({@code [vrrp] include_file}): keepalived's configuration for this appliance,
 * as {@code --print-keepalived} prints it, kept up to date by the daemon at start and after every applied config
 * change (frontends, and so VIPs, change live). Written atomically (a temporary file in the same folder, renamed
 * over the old one), so keepalived never reads half a file; owner-only when it holds the VRRP password; rewritten
 * only when its text changes. keepalived reads it when it is reloaded (a systemd path unit, or the operator).
 * Writes happen on a thread of its own, in order, never on the engine's.
 */
public final class KeepalivedIncludeFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeepalivedIncludeFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path file;
    private final Function<ConveyConfig, String> render;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
            .name("keepalived-include").unstarted(r));
    private Engine engine;
    private final Consumer<EngineEvent> listener = this::onEvent;
    /** The text last written; writer thread only. */
    private String written;

    KeepalivedIncludeFile(Path file, Function<ConveyConfig, String> render) {
        this.file = file;
        this.render = render;
    }

    /**
     * Writes the file for the engine's running config now and after each config it applies, if the config asks
     * for one ({@code [vrrp] include_file}); returns null otherwise.
     *
     * @param render keepalived's configuration for a config ({@link KeepalivedSetup#config})
     */
    public static KeepalivedIncludeFile start(Engine engine, Function<ConveyConfig, String> render) {
        Path file = engine.config().announce().vrrp().flatMap(VrrpConfig::includeFile).orElse(null);
        if (file == null) {
            return null;
        }
        KeepalivedIncludeFile include = new KeepalivedIncludeFile(file, render);
        include.engine = engine;
        include.write(engine.config()); // at start, before keepalived is expected to read it
        engine.addListener(include.listener);
        return include;
    }

    private void onEvent(EngineEvent event) {
        if (event instanceof EngineEvent.ConfigApplied) {
            ConveyConfig config = engine.config();
            try {
                writer.execute(() -> write(config));
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Writes the file for {@code config} unless it already holds that text; failures are logged, not thrown. */
    synchronized void write(ConveyConfig config) {
        String text;
        try {
            text = render.apply(config);
        } catch (IllegalArgumentException e) {
            log.warn("keepalived include file not written: path={} reason=\"{}\"", file, e.getMessage());
            return;
        }
        if (text.equals(written)) {
            return;
        }
        boolean secret = config.announce().vrrp().flatMap(VrrpConfig::authPass).isPresent();
        try {
            writeAtomically(file, text, secret ? OWNER_ONLY : READABLE);
            written = text;
            log.info("keepalived include file written: path={} vips={} (keepalived applies it when reloaded)", file,
                    Vips.of(config).keySet().stream().map(Vips::text).toList());
        } catch (IOException | RuntimeException e) {
            log.warn("keepalived include file not written: path={} error=\"{}\"", file, e.toString());
        }
    }

    /** A temporary file beside the target, permissions set before any byte is in it, synced, then renamed over it. */
    static void writeAtomically(Path file, String text, Set<PosixFilePermission> permissions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.setPosixFilePermissions(temporary, permissions); // not masked by the umask, unlike creation's
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.removeListener(listener);
        }
        writer.shutdown();
    }
}
