package io.convey.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last applied versions of the config file, kept next to it in {@code .convey-history/}: one
 * {@code <id>.toml} per version holding the exact text, and {@code index.tsv} with one line per version
 * ({@code id, config_version, at, source, summary, by}, tab-separated; lines written before {@code by} existed
 * load with {@code by} = their source). Ids keep increasing across restarts
 * (config versions restart at 1 with the daemon). At most {@code capacity} versions are kept; the oldest
 * go first. Methods are synchronized: versions are recorded by the engine's single writer, read by the API.
 */
public final class ConfigHistory implements VersionHistory {
    private static final Logger log = LoggerFactory.getLogger(ConfigHistory.class);
    public static final String DIRECTORY = ".convey-history";
    public static final int DEFAULT_CAPACITY = 100;
    private static final String INDEX = "index.tsv";

    /**
     * One recorded version; {@code source} is {@code startup}, {@code file}, {@code signal}, {@code api} or
     * {@code rollback}; {@code by} who made it (a user, a token and its user, or the source itself).
     */
    public record Entry(long id, long configVersion, Instant at, String source, String summary, String by) {}

    private final Path dir;
    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>(); // oldest first

    private ConfigHistory(Path dir, int capacity) {
        this.dir = dir;
        this.capacity = capacity;
    }

    /** Opens (creating it if needed) the history directory next to {@code configFile}. */
    public static ConfigHistory open(Path configFile, int capacity) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 or more)");
        }
        Path dir = configFile.toAbsolutePath().normalize().resolveSibling(DIRECTORY);
        Files.createDirectories(dir);
        ConfigHistory history = new ConfigHistory(dir, capacity);
        history.load();
        return history;
    }

    public Path directory() {
        return dir;
    }

    /** Stores a new version and returns its entry; I/O failures are logged and the entry is kept in memory. */
    public synchronized Entry record(long configVersion, Instant at, String source, String summary, String by,
            String text) {
        long id = entries.isEmpty() ? 1 : entries.getLast().id() + 1;
        Entry entry = new Entry(id, configVersion, at, oneLine(source), oneLine(summary), oneLine(by));
        try {
            writeAtomically(dir.resolve(id + ".toml"), text);
            entries.addLast(entry);
            while (entries.size() > capacity) {
                Files.deleteIfExists(dir.resolve(entries.removeFirst().id() + ".toml"));
            }
            writeAtomically(dir.resolve(INDEX), index());
        } catch (IOException e) {
            log.warn("config history not written dir={} id={}", dir, id, e);
        }
        return entry;
    }

    /** Every kept version, newest first. */
    @Override
    public synchronized List<Entry> entries() {
        List<Entry> newestFirst = new ArrayList<>(entries);
        return List.copyOf(newestFirst.reversed());
    }

    public synchronized Optional<Entry> entry(long id) {
        return entries.stream().filter(e -> e.id() == id).findFirst();
    }

    /** The exact text of a kept version. */
    @Override
    public synchronized Optional<String> text(long id) throws IOException {
        if (entry(id).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(dir.resolve(id + ".toml"), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void load() throws IOException {
        Path index = dir.resolve(INDEX);
        if (!Files.exists(index)) {
            return;
        }
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 6);
            try {
                if (f.length >= 5 && Files.exists(dir.resolve(Long.parseLong(f[0]) + ".toml"))) {
                    entries.addLast(new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), Instant.parse(f[2]), f[3], f[4],
                            f.length == 6 ? f[5] : f[3]));
                }
            } catch (NumberFormatException | DateTimeParseException e) {
                log.warn("config history: skipping a damaged index line file={}", index);
            }
        }
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
    }

    private String index() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.id()).append('\t').append(e.configVersion()).append('\t').append(e.at()).append('\t')
                    .append(e.source()).append('\t').append(e.summary()).append('\t').append(e.by()).append('\n');
        }
        return sb.toString();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\t\\r\\n]+", " ").strip();
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
