package io.convey.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's event stream read on one virtual thread, reconnecting every two seconds after a failure
 * (each one reported: a refused token or certificate must not go unnoticed) until {@link #close()}. Callbacks
 * run on that thread: callers hand results to the FX thread themselves.
 */
public final class EventStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final HttpClient http;
    private final Supplier<HttpRequest> request;
    private final Consumer<ApplianceEvent> onEvent;
    private final Consumer<Boolean> onConnected;
    private final Consumer<Throwable> onFailure;
    private volatile boolean closed;
    private volatile InputStream body;
    private Thread reader;

    private EventStream(HttpClient http, Supplier<HttpRequest> request, Consumer<ApplianceEvent> onEvent,
            Consumer<Boolean> onConnected, Consumer<Throwable> onFailure) {
        this.http = http;
        this.request = request;
        this.onEvent = onEvent;
        this.onConnected = onConnected;
        this.onFailure = onFailure;
    }

    static EventStream open(HttpClient http, Supplier<HttpRequest> request, Consumer<ApplianceEvent> onEvent,
            Consumer<Boolean> onConnected, Consumer<Throwable> onFailure) {
        EventStream stream = new EventStream(http, request, onEvent, onConnected, onFailure);
        stream.reader = Thread.ofVirtual().name("events " + request.get().uri().getAuthority()).start(stream::run);
        return stream;
    }

    private void run() {
        while (!closed) {
            HttpRequest next = request.get();
            try {
                HttpResponse<InputStream> response = http.send(next, HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                if (response.statusCode() != 200) {
                    throw new ApiException(response.statusCode(), "the event stream answered HTTP "
                            + response.statusCode(), List.of());
                }
                onConnected.accept(true);
                readAll(response.body());
            } catch (IOException | ApiException e) {
                log.debug("event stream failed uri={} error={}", next.uri(), e.toString());
                if (!closed) {
                    onFailure.accept(e);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                closeBody();
            }
            if (!closed) {
                onConnected.accept(false);
                LockSupport.parkNanos(RETRY.toNanos());
            }
        }
    }

    private void readAll(InputStream in) throws IOException {
        SseParser parser = new SseParser();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                parser.feed(line).flatMap(EventStream::decode).ifPresent(onEvent);
            }
        }
    }

    /** The typed event of one SSE message; unknown event types are skipped (newer appliances may add some). */
    static Optional<ApplianceEvent> decode(SseParser.Message message) {
        Class<? extends ApplianceEvent> type = switch (message.event()) {
            case "stats" -> ApplianceEvent.Stats.class;
            case "health" -> ApplianceEvent.HealthChanged.class;
            case "config" -> ApplianceEvent.ConfigApplied.class;
            case "config_rejected" -> ApplianceEvent.ConfigRejected.class;
            case "announce", "vrrp", "maintenance" -> ApplianceEvent.AvailabilityChanged.class;
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(AdminClient.JSON.readValue(message.data(), type));
        } catch (JsonProcessingException e) {
            log.debug("event skipped type={} error={}", message.event(), e.getOriginalMessage());
            return Optional.empty();
        }
    }

    private void closeBody() {
        InputStream in = body;
        body = null;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                log.debug("closing the event stream failed error={}", e.toString());
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops reading and reconnecting; returns at once. */
    @Override
    public void close() {
        closed = true;
        closeBody();
        reader.interrupt();
    }
}
