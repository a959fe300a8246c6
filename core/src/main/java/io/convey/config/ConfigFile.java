package io.convey.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The config file on disk: reads it, writes it atomically (temp file, fsync, rename) and remembers the
 * digest of the text last applied, so that the watcher does not re-apply an unchanged file or one the
 * appliance wrote itself.
 */
public final class ConfigFile {
    private final Path path;
    private volatile String appliedDigest = "";

    public ConfigFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    public String read() throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    /** Whether {@code text} differs from what was last applied. */
    public boolean differsFromApplied(String text) {
        return !digest(text).equals(appliedDigest);
    }

    public void markApplied(String text) {
        appliedDigest = digest(text);
    }

    /** Replaces the file so that readers see either the old or the new text, never a mix. */
    public void writeAtomically(String text) throws IOException {
        Path temp = path.resolveSibling("." + path.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** SHA-256 of the text, hex. */
    public static String digest(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
