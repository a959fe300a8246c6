package io.convey.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Optional {@code [notify]} section: webhooks told about state changes, and how deliveries are bounded.
 *
 * @param hooks         by name, in file order
 * @param queueCapacity notifications waiting per hook; more are dropped and counted
 * @param maxAttempts   attempts per notification before it counts as failed
 * @param timeout       per attempt (connect and response)
 * @param dropThreshold packets dropped within {@code dropWindow} that raise {@code packets_dropped}; 0 = never
 * @param dropWindow    the window {@code dropThreshold} applies to
 */
public record NotifyConfig(Map<String, Hook> hooks, int queueCapacity, int maxAttempts, Duration timeout,
        long dropThreshold, Duration dropWindow) {
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DROP_WINDOW = Duration.ofSeconds(60);
    public static final NotifyConfig NONE = new NotifyConfig(Map.of(), DEFAULT_QUEUE_CAPACITY, DEFAULT_MAX_ATTEMPTS,
            DEFAULT_TIMEOUT, 0, DEFAULT_DROP_WINDOW);

    public NotifyConfig {
        hooks = Collections.unmodifiableMap(new LinkedHashMap<>(hooks));
    }

    /**
     * One webhook.
     *
     * @param url        http or https URL the JSON body is POSTed to
     * @param secretFile owner-only file whose content keys the HMAC-SHA256 signature; empty = unsigned
     * @param events     what this hook is told about
     */
    public record Hook(String name, URI url, Optional<Path> secretFile, Set<NotifyEvent> events) {
        public Hook {
            events = events.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(events));
        }

        public boolean wants(NotifyEvent event) {
            return events.contains(event);
        }
    }
}
