package io.convey.console.appliances;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the console's files so that only their owner can read them: the folder is created owner-only, and each file
 * is created owner-only before any content is written, then moved over the old one, so no reader ever sees a
 * partial file or a moment of wider permissions.
 */
final class PrivateFiles {
    private PrivateFiles() {
    }

    static void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(existing(dir)).supportsFileAttributeView("posix");
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir, posix ? attribute("rwx------") : new FileAttribute<?>[0]);
            } catch (FileAlreadyExistsException raced) {
                // another window created it meanwhile
            }
        }
        Path next = Files.createTempFile(dir, file.getFileName() + ".", ".next",
                posix ? attribute("rw-------") : new FileAttribute<?>[0]);
        try {
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
    }

    private static FileAttribute<?>[] attribute(String permissions) {
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    private static Path existing(Path dir) {
        Path at = dir;
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        return at == null ? dir.getRoot() : at;
    }
}
