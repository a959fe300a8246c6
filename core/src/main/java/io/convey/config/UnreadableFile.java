package io.convey.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one-line problem for a config file that cannot be read, said in the operator's words (not found, a directory,
 * a dangling link, permission denied) rather than with the Java exception's name.
 */
public final class UnreadableFile {
    private static final String EXPECTED = " (expected: a readable TOML file)";

    private UnreadableFile() {}

    /** The problem for {@code file}, which failed to read with {@code failure}; the kind is taken from the file system. */
    public static Problem problem(Path file, IOException failure) {
        return Problem.error(file.toString(), 0, "", reason(file, failure) + EXPECTED);
    }

    /** The problem for the default {@code config.toml} missing from the working directory, with what to do instead. */
    public static Problem missingDefault(Path file) {
        return Problem.error(file.toString(), 0, "", "not found in " + file.toAbsolutePath().getParent()
                + " (expected: a config file there, --config=<file>, or --demo to try a demo appliance)");
    }

    private static String reason(Path file, IOException failure) {
        if (Files.isDirectory(file)) {
            return "a directory";
        }
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            try {
                return "a link to " + Files.readSymbolicLink(file) + ", which does not exist";
            } catch (IOException e) {
                return "a link to a file that does not exist";
            }
        }
        return switch (failure) {
            case NoSuchFileException e -> "not found";
            case AccessDeniedException e -> "permission denied";
            default -> Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isReadable(file) ? "permission denied"
                    : "cannot be read: " + failure.getMessage();
        };
    }
}
