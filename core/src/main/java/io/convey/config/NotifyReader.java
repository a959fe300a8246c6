package io.convey.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [notify]} for {@link ConfigLoader}, with its typed accessors (so problems carry file, line and key).
 * A hook's secret stays out of the config file, which the API shows and writes back: {@code secret_file} names an
 * owner-only file holding it.
 */
final class NotifyReader {
    static final Set<String> NOTIFY_KEYS = Set.of("hooks", "queue_capacity", "max_attempts", "timeout_ms",
            "drop_threshold", "drop_window_s");
    static final Set<String> HOOK_KEYS = Set.of("url", "secret_file", "events");

    /** The loader's accessors this reader needs. */
    interface Access {
        org.tomlj.TomlTable table(List<String> parent, String key);

        String string(org.tomlj.TomlTable table, List<String> path, String key, boolean required);

        long integer(org.tomlj.TomlTable table, List<String> path, String key, long fallback, long min, long max);

        void warnUnknown(org.tomlj.TomlTable table, List<String> path, Set<String> known);

        void error(List<String> path, String message);

        Path resolve(String path);
    }

    private NotifyReader() {}

    static NotifyConfig read(Access in) {
        List<String> path = List.of("notify");
        var notify = in.table(List.of(), "notify");
        if (notify == null) {
            return NotifyConfig.NONE;
        }
        in.warnUnknown(notify, path, NOTIFY_KEYS);
        int capacity = (int) in.integer(notify, path, "queue_capacity", NotifyConfig.DEFAULT_QUEUE_CAPACITY, 1, 100_000);
        int attempts = (int) in.integer(notify, path, "max_attempts", NotifyConfig.DEFAULT_MAX_ATTEMPTS, 1, 10);
        long timeout = in.integer(notify, path, "timeout_ms", NotifyConfig.DEFAULT_TIMEOUT.toMillis(), 1, 60_000);
        long threshold = in.integer(notify, path, "drop_threshold", 0, 0, Long.MAX_VALUE);
        long window = in.integer(notify, path, "drop_window_s", NotifyConfig.DEFAULT_DROP_WINDOW.toSeconds(), 1, 86_400);
        Map<String, NotifyConfig.Hook> hooks = new LinkedHashMap<>();
        var table = in.table(path, "hooks");
        if (table != null) {
            List<String> hooksPath = List.of("notify", "hooks");
            for (String name : table.keySet()) {
                var hook = in.table(hooksPath, name);
                if (hook != null) {
                    readHook(in, name, hook, List.of("notify", "hooks", name)).ifPresent(h -> hooks.put(name, h));
                }
            }
        }
        return new NotifyConfig(hooks, capacity, attempts, Duration.ofMillis(timeout), threshold,
                Duration.ofSeconds(window));
    }

    private static Optional<NotifyConfig.Hook> readHook(Access in, String name, org.tomlj.TomlTable hook,
            List<String> path) {
        in.warnUnknown(hook, path, HOOK_KEYS);
        URI url = url(in, in.string(hook, path, "url", true), append(path, "url"));
        String secret = in.string(hook, path, "secret_file", false);
        Optional<Path> secretFile = Optional.ofNullable(secret).map(in::resolve);
        secretFile.ifPresent(file -> checkSecretFile(in, file, append(path, "secret_file")));
        Set<NotifyEvent> events = EnumSet.allOf(NotifyEvent.class);
        Object listed = hook.get(List.of("events"));
        if (listed != null) {
            events = events(in, listed, append(path, "events"));
        }
        return url == null || events == null ? Optional.empty()
                : Optional.of(new NotifyConfig.Hook(name, url, secretFile, events));
    }

    private static URI url(Access in, String text, List<String> path) {
        if (text == null) {
            return null;
        }
        try {
            URI url = new URI(text);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below, like any other unusable URL
        }
        in.error(path, SocketAddresses.quote(text) + " (expected: an http:// or https:// URL)");
        return null;
    }

    static void checkSecretFile(Access in, Path file, List<String> path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!Files.isRegularFile(file)) {
                in.error(path, SocketAddresses.quote(file.toString()) + " (expected: a file)");
            } else if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                in.error(path, SocketAddresses.quote(file.toString()) + " is readable by others (expected: an owner-only"
                        + " file, chmod 600)");
            } else if (Files.size(file) == 0) {
                in.error(path, SocketAddresses.quote(file.toString()) + " is empty (expected: the shared secret)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            in.error(path, SocketAddresses.quote(file.toString()) + " cannot be read (expected: an owner-only file, "
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static Set<NotifyEvent> events(Access in, Object listed, List<String> path) {
        if (!(listed instanceof org.tomlj.TomlArray array)) {
            in.error(path, "not an array (expected: [\"server_down\", ...], words from: "
                    + ConfigWord.ids(NotifyEvent.class) + ")");
            return null;
        }
        Set<NotifyEvent> events = EnumSet.noneOf(NotifyEvent.class);
        for (int i = 0; i < array.size(); i++) {
            Object word = array.get(i);
            Optional<NotifyEvent> event = word instanceof String s ? ConfigWord.fromId(NotifyEvent.class, s)
                    : Optional.empty();
            if (event.isEmpty()) {
                in.error(path, (word instanceof String s ? SocketAddresses.quote(s) : String.valueOf(word))
                        + " (expected: one of " + ConfigWord.ids(NotifyEvent.class) + ")");
                return null;
            }
            events.add(event.get());
        }
        if (events.isEmpty()) {
            in.error(path, "empty (expected: at least one of " + ConfigWord.ids(NotifyEvent.class) + ")");
            return null;
        }
        return events;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new java.util.ArrayList<>(path);
        out.add(key);
        return List.copyOf(out);
    }
}
