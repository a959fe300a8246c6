package io.convey.admin.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only audit trail {@code <state_dir>/audit.log}: one JSON object per line for every accepted and
 * refused write and every failed login (who, how, from where, what, the answer). Never passwords or tokens.
 * Owner-only; at {@link #ROTATE_BYTES} the file moves to {@code audit.log.1} (one generation kept).
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    public static final String FILE = "audit.log";
    static final long ROTATE_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** One line; {@code via} is {@code session}, {@code token:<name>} or {@code none}; {@code outcome} accepted or refused. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Entry(Instant at, String user, String via, String from, String method, String path, int status,
            String outcome, String summary) {}

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public synchronized void append(Entry entry) {
        try {
            byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            if (Files.exists(file) && Files.size(file) + line.length > ROTATE_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file, SecretFiles.ownerOnly());
            }
            Files.write(file, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.warn("audit entry not written file={} method={} path={} status={}", file, entry.method(), entry.path(),
                    entry.status(), e);
        }
    }

    /** The last {@code limit} entries, newest first (damaged lines are skipped). */
    public synchronized List<Entry> recent(int limit) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> out = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && out.size() < limit; i--) {
            try {
                out.add(JSON.readValue(lines.get(i), Entry.class));
            } catch (IOException e) {
                // a line cut by a crash: skip it
            }
        }
        return out;
    }

    public Path file() {
        return file;
    }
}
