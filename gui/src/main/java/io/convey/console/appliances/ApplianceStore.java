package io.convey.console.appliances;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The remembered appliances, a JSON file (by default {@code ~/.config/convey-console/appliances.json}).
 * Readable by its owner only, as it holds tokens.
 */
public final class ApplianceStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public ApplianceStore(Path file) {
        this.file = file;
    }

    /** The store in the user's configuration directory ({@code $XDG_CONFIG_HOME} or {@code ~/.config}). */
    public static ApplianceStore inUserConfig() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".config") : Path.of(xdg);
        return new ApplianceStore(base.resolve("convey-console").resolve("appliances.json"));
    }

    public Path file() {
        return file;
    }

    private record Entry(String name, String url, String token) {
    }

    /** The remembered appliances; none when the file does not exist yet. */
    public List<Appliance> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Entry> entries = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() { });
        return entries.stream().map(e -> new Appliance(e.name(), URI.create(e.url()), e.token())).toList();
    }

    /** Replaces the file atomically (write aside, then move). */
    public void save(List<Appliance> appliances) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        List<Entry> entries = appliances.stream().map(a -> new Entry(a.name(), a.url().toString(), a.token())).toList();
        Files.writeString(next, JSON.writeValueAsString(entries));
        if (Files.getFileStore(next).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
