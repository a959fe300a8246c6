package io.convey.engine;

import io.convey.config.ConfigChange;
import io.convey.config.ConfigDifference;
import io.convey.config.ConfigEditException;
import io.convey.config.ConfigEditException.Kind;
import io.convey.config.ConfigFile;
import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.LoadResult;
import io.convey.config.Problem;
import io.convey.config.TomlEditException;
import io.convey.config.TomlEditor;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes the configuration on behalf of operators: validates an edit, applies it to the running engine,
 * writes the file back (only the edited lines change) and lets the engine's {@code ConfigApplied} event
 * record the version. One lock covers the whole read-modify-write of the file and the apply, and the file
 * watcher's reloads take it too, so two writers never lose an update and a reload never reads a file
 * half-way through an edit. Nothing here is HTTP: the admin API and tests call it alike.
 */
public final class ConfigEditor {
    private static final Logger log = LoggerFactory.getLogger(ConfigEditor.class);

    /** What a successful write did: the version now running and the one-line summary recorded. */
    public record Result(long configVersion, String summary) {}

    private final Engine engine;
    private final ConfigFile file;
    private final Object lock = new Object();
    /** Set when the configuration is a fleet's in etcd: writes go there, the file is the member's own. */
    private volatile FleetSync fleet;

    public ConfigEditor(Engine engine, ConfigFile file) {
        this.engine = engine;
        this.file = file;
    }

    /** From now on, edits and replacements are written to the fleet in etcd (see {@link FleetEdits}). */
    public void followFleet(FleetSync sync) {
        this.fleet = sync;
    }

    /**
     * Applies one edit to the file's current text; {@code ifMatch} empty means "whatever version runs now";
     * {@code by} is who asked, recorded in the history.
     */
    public Result edit(ConfigChange change, OptionalLong ifMatch, String by) throws ConfigEditException {
        synchronized (lock) {
            if (fleet != null) {
                return FleetEdits.edit(fleet, change, ifMatch, by);
            }
            requireVersion(ifMatch);
            ConveyConfig current = engine.config();
            String text = read();
            if (file.differsFromApplied(text)) {
                throw ConfigEditException.of(Kind.CONFLICT, "the config file changed on disk and is not running", "",
                        "the file differs from the running config (expected: wait for its reload, or fix or replace it)");
            }
            change.check(current);
            String next;
            try {
                TomlEditor editor = new TomlEditor(text);
                change.editText(editor);
                next = editor.text();
            } catch (TomlEditException e) {
                throw ConfigEditException.of(Kind.INVALID, "the edit cannot be written into the file", "", e.getMessage());
            }
            ConveyConfig edited = validate(next);
            if (!edited.equals(change.applyTo(current))) {
                throw ConfigEditException.of(Kind.FAILED, "the edited file does not mean what the edit asked for", "",
                        "re-parsed file differs from the intended configuration (expected: only \"" + change.summary()
                                + "\")");
            }
            return commit(text, next, edited, "api", by, change.summary());
        }
    }

    /** Replaces the whole file with {@code text} (an upload or a rollback): validated, applied, written. */
    public Result replace(String text, String source, String summary, OptionalLong ifMatch, String by)
            throws ConfigEditException {
        synchronized (lock) {
            if (fleet != null) {
                return FleetEdits.replace(fleet, text, source, summary, ifMatch, by);
            }
            requireVersion(ifMatch);
            ConveyConfig config = validate(text);
            return commit(read(), text, config, source, by,
                    summary + ": " + ConfigDifference.describe(engine.config(), config));
        }
    }

    /** Validates TOML text as the file loader does, without applying anything. */
    public LoadResult check(String text) {
        FleetSync sync = fleet;
        if (sync != null) {
            return sync.parse(text, "config");
        }
        return ConfigLoader.parse(text, file.path().getFileName().toString(), file.path().getParent());
    }

    /** Re-reads the file and applies it if it changed since the last applied text (a broken file is rejected). */
    public ReloadStatus reloadFromFile(String source) {
        synchronized (lock) {
            if (fleet != null) {
                log.info("reload not done source={}: the configuration is the fleet's in etcd (edit it there)", source);
                return engine.lastReload();
            }
            String text;
            try {
                text = file.read();
            } catch (IOException e) {
                return engine.reject(source, List.of(Problem.error(file.path().toString(), 0, "",
                        "cannot read file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
            }
            if (!file.differsFromApplied(text)) {
                log.debug("config file unchanged, not re-applied file={}", file.path());
                return engine.lastReload();
            }
            LoadResult loaded = ConfigLoader.parse(text, file.path().toString(), file.path().getParent());
            if (!loaded.ok()) {
                file.markApplied(text); // report a broken file once, not on every event
                return engine.reject(source, loaded.errors());
            }
            ConveyConfig next = loaded.config().orElseThrow();
            return engine.apply(next, source, ConfigDifference.describe(engine.config(), next), text);
        }
    }

    /** The config file's current text. */
    public String fileText() throws ConfigEditException {
        FleetSync sync = fleet;
        if (sync != null) {
            try {
                return new ConfigFile(sync.mirrorFile()).read();
            } catch (IOException e) {
                throw ConfigEditException.of(Kind.FAILED, "the fleet mirror file cannot be read", "",
                        e.getClass().getSimpleName() + " (expected: a readable " + sync.mirrorFile().getFileName() + ")");
            }
        }
        return read();
    }

    private void requireVersion(OptionalLong ifMatch) throws ConfigEditException {
        long running = engine.version();
        if (ifMatch.isPresent() && ifMatch.getAsLong() != running) {
            throw ConfigEditException.of(Kind.STALE, "the configuration changed meanwhile", "",
                    "version " + ifMatch.getAsLong() + " (expected: " + running + ", the running version)");
        }
    }

    private ConveyConfig validate(String text) throws ConfigEditException {
        LoadResult loaded = check(text);
        if (!loaded.ok()) {
            throw new ConfigEditException(Kind.INVALID, "the resulting configuration is not valid", loaded.errors());
        }
        return loaded.config().orElseThrow();
    }

    /**
     * Applies, then writes the file. Applying first means a listener that cannot be bound leaves nothing to
     * undo; if the file cannot be written, the previous configuration is applied again.
     */
    private Result commit(String previousText, String text, ConveyConfig config, String source, String by,
            String summary) throws ConfigEditException {
        ConveyConfig previous = engine.config();
        ReloadStatus status = engine.apply(config, source, by, summary, text);
        if (!status.ok()) {
            throw new ConfigEditException(Kind.CONFLICT, "the running appliance refused the configuration",
                    status.problems());
        }
        file.markApplied(text); // the watcher will see our own write: not a change to re-apply
        try {
            file.writeAtomically(text);
        } catch (IOException e) {
            log.warn("config file not written, reverting file={}", file.path(), e);
            engine.apply(previous, source, by, "reverted: the config file could not be written", previousText);
            file.markApplied(previousText);
            throw ConfigEditException.of(Kind.FAILED, "the config file could not be written", "",
                    e.getClass().getSimpleName() + " (expected: a writable " + file.path().getFileName() + ")");
        }
        return new Result(status.version(), summary);
    }

    private String read() throws ConfigEditException {
        try {
            return file.read();
        } catch (IOException e) {
            throw ConfigEditException.of(Kind.FAILED, "the config file cannot be read", "",
                    e.getClass().getSimpleName() + " (expected: a readable " + file.path().getFileName() + ")");
        }
    }
}
