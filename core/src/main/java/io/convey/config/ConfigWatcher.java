package io.convey.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file's directory (not the file's inode, so editors that save by writing a new file
 * and renaming it are seen too) and calls back once per burst of changes, after a short quiet period.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Duration quietPeriod;
    private final Runnable onChange;
    private final WatchService watcher;
    private final ScheduledExecutorService debouncer;
    private final Thread thread;
    private ScheduledFuture<?> pending;

    public ConfigWatcher(Path file, Duration quietPeriod, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.quietPeriod = quietPeriod;
        this.onChange = onChange;
        this.watcher = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.debouncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-reload");
            t.setDaemon(true);
            return t;
        });
        this.thread = Thread.ofPlatform().daemon().name("config-watch").start(this::run);
        log.info("watching config file={}", this.file);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW
                            || file.getFileName().equals(event.context())) {
                        relevant = true;
                    }
                }
                key.reset();
                if (relevant) {
                    schedule();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = debouncer.schedule(this::fire, quietPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fire() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("config reload failed file={}", file, e);
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            log.debug("closing watch service", e);
        }
        thread.interrupt();
        debouncer.shutdownNow();
    }
}
