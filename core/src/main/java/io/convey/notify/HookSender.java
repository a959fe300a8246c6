package io.convey.notify;

import io.convey.config.NotifyConfig;
import io.convey.stats.NotifyCounters;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one hook's notifications in order from a bounded queue, on its own virtual thread: a full queue drops
 * (and counts) new notifications, each one gets at most {@code max_attempts} attempts with a doubling pause, so a
 * receiver that is down costs a bounded queue and one idle thread, never the data path or the engine's writer.
 */
final class HookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HookSender.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(10);

    /** One notification to send: its event word and the JSON body. */
    record Message(String event, byte[] body) {}

    private final HttpClient http;
    private final NotifyCounters counters;
    private final String userAgent;
    private final BlockingQueue<Message> queue;
    private final Thread worker;
    private volatile NotifyConfig.Hook hook;
    private volatile NotifyConfig limits;
    private volatile boolean closed;

    HookSender(HttpClient http, NotifyConfig.Hook hook, NotifyConfig limits, NotifyCounters counters, String userAgent) {
        this.http = http;
        this.hook = hook;
        this.limits = limits;
        this.counters = counters;
        this.userAgent = userAgent;
        this.queue = new ArrayBlockingQueue<>(limits.queueCapacity());
        this.worker = Thread.ofVirtual().name("notify " + hook.name()).start(this::run);
    }

    /** The hook's URL, secret or events changed (same name); the queue capacity stays until the hook is re-created. */
    void update(NotifyConfig.Hook next, NotifyConfig nextLimits) {
        hook = next;
        limits = nextLimits;
    }

    int capacity() {
        return queue.remainingCapacity() + queue.size();
    }

    NotifyConfig.Hook hook() {
        return hook;
    }

    /** Queues a message without blocking; a full queue drops it. */
    void offer(Message message) {
        if (queue.offer(message)) {
            counters.queued(1);
        } else {
            counters.dropped();
            log.warn("notification dropped hook={} event={} reason=\"queue full ({} waiting)\"", hook.name(),
                    message.event(), queue.size());
        }
    }

    private void run() {
        while (!closed) {
            Message message;
            try {
                message = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            counters.queued(-1);
            if (!deliver(message)) {
                return;
            }
        }
    }

    /** Returns false when interrupted (closing). */
    private boolean deliver(Message message) {
        NotifyConfig.Hook target = hook;
        int attempts = limits.maxAttempts();
        Duration pause = FIRST_PAUSE;
        String delivery = UUID.randomUUID().toString();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                counters.retried();
                try {
                    TimeUnit.MILLISECONDS.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    return false;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
            String error;
            try {
                HttpResponse<Void> response = http.send(request(target, message, delivery),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    counters.delivered();
                    return true;
                }
                error = "HTTP " + response.statusCode();
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                return false;
            }
            counters.attemptFailed(Instant.now(), error);
            log.debug("notification attempt failed hook={} event={} attempt={}/{} error=\"{}\"", target.name(),
                    message.event(), attempt, attempts, error);
            if (attempt == attempts) {
                counters.failed();
                log.warn("notification failed hook={} event={} attempts={} error=\"{}\"", target.name(),
                        message.event(), attempts, error);
            }
        }
        return true;
    }

    private HttpRequest request(NotifyConfig.Hook target, Message message, String delivery) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url())
                .timeout(limits.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", userAgent)
                .header("X-Convey-Event", message.event())
                .header("X-Convey-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        if (target.secretFile().isPresent()) {
            // Read per delivery, off the data path: a rotated secret applies without a reload.
            byte[] secret = Signature.fromFile(Files.readAllBytes(target.secretFile().get()));
            request.header(Signature.HEADER, Signature.sign(secret, message.body()));
        }
        return request.build();
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
