package io.convey.console.appliances;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.convey.console.client.Trust;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The remembered appliances and the certificate each one is trusted by, a JSON file (by default
 * {@code ~/.config/convey-console/appliances.json}). It holds no secret (tokens are in {@link TokenStore}) but is
 * still written owner-only, like everything of the console's.
 */
public final class ApplianceStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final Path file;

    public ApplianceStore(Path file) {
        this.file = file;
    }

    /** The console's folder in the user's configuration directory ({@code $XDG_CONFIG_HOME} or {@code ~/.config}). */
    public static Path userConfigDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".config") : Path.of(xdg);
        return base.resolve("convey-console");
    }

    public Path file() {
        return file;
    }

    /** One appliance in the file; a token of older versions (an ignored key now) is dropped on the next save. */
    private record Entry(String name, String url, String fingerprint, @JsonProperty("ca_file") String caFile) {
        Appliance appliance() {
            Trust trust = caFile != null ? new Trust.CaFile(Path.of(caFile))
                    : fingerprint != null ? new Trust.Pinned(fingerprint) : Trust.firstUse();
            return new Appliance(name, URI.create(url), trust);
        }

        static Entry of(Appliance a) {
            return switch (a.trust()) {
                case Trust.Pinned p -> new Entry(a.name(), a.url().toString(), p.fingerprint(), null);
                case Trust.CaFile c -> new Entry(a.name(), a.url().toString(), null, c.file().toString());
                case Trust.FirstUse f -> new Entry(a.name(), a.url().toString(), null, null);
            };
        }
    }

    /** The remembered appliances; none when the file does not exist yet. */
    public List<Appliance> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() { }).stream().map(Entry::appliance).toList();
    }

    /** Replaces the file atomically. */
    public void save(List<Appliance> appliances) throws IOException {
        PrivateFiles.write(file, JSON.writeValueAsString(appliances.stream().map(Entry::of).toList()));
    }
}
