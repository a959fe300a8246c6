package io.convey.console.appliances;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's API tokens, one per appliance, in a file only its owner can read (by default
 * {@code ~/.config/convey-console/tokens.json}, mode 0600). Kept apart from the list of appliances, which holds
 * nothing secret. Thread-safe: HTTP clients read tokens from any thread.
 */
public final class TokenStore {
    private static final Logger log = LoggerFactory.getLogger(TokenStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One appliance's token: who it logs in as, the token's id and name on the appliance, and its secret. */
    public record Entry(String url, String user, String id, String name, String token) {
    }

    private final Path file;
    private Map<String, Entry> entries;

    public TokenStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The token the console sends to the appliance at {@code url}, if it has one. */
    public synchronized Optional<Entry> get(URI url) {
        return Optional.ofNullable(loaded().get(key(url)));
    }

    public Optional<String> token(URI url) {
        return get(url).map(Entry::token);
    }

    /** Remembers the token for the appliance at {@code url} (replacing the one before) and saves the file. */
    public synchronized void put(URI url, String user, String id, String name, String token) throws IOException {
        Map<String, Entry> next = new LinkedHashMap<>(loaded());
        next.put(key(url), new Entry(key(url), user, id, name, token));
        save(next);
    }

    /** Forgets the token for the appliance at {@code url}; the file no longer holds it. */
    public synchronized void remove(URI url) throws IOException {
        if (loaded().containsKey(key(url))) {
            Map<String, Entry> next = new LinkedHashMap<>(loaded());
            next.remove(key(url));
            save(next);
        }
    }

    private void save(Map<String, Entry> next) throws IOException {
        PrivateFiles.write(file, JSON.writeValueAsString(new ArrayList<>(next.values())));
        entries = next;
    }

    private Map<String, Entry> loaded() {
        if (entries == null) {
            Map<String, Entry> read = new LinkedHashMap<>();
            if (Files.exists(file)) {
                try {
                    JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() { }).forEach(e -> read.put(e.url(), e));
                } catch (IOException e) {
                    // An unreadable file means no tokens: the operator logs in again, which rewrites it.
                    log.warn("tokens file unreadable file={} error={}", file, e.getMessage());
                }
            }
            entries = read;
        }
        return entries;
    }

    private static String key(URI url) {
        return url.toString().replaceAll("/+$", "");
    }
}
