package io.convey.announce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the VRRP state keepalived writes to its notify FIFO ({@code vrrp_notify_fifo}), one line per change such
 * as {@code INSTANCE "convey_51" MASTER 150}. A FIFO rather than an HTTP call from a notify script: it needs no
 * credential, only the file's owner-only permissions, and keepalived writes to it itself.
 *
 * <p>The FIFO is opened read-write, which on Linux never blocks and never reads end-of-file when keepalived
 * restarts; {@link #close()} wakes the reader by writing an empty line through a second descriptor.
 */
final class VrrpNotifications implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VrrpNotifications.class);
    private static final Pattern LINE = Pattern.compile("(INSTANCE|GROUP) \"([^\"]+)\" (\\w+)(?: (\\d+))?");

    /** The last state keepalived reported for an instance. */
    record VrrpState(String instance, String state, int priority, Instant at) {}

    private final Path fifo;
    private final FileChannel channel;
    private final Clock clock;
    /** Told of each change of state, on the reader thread. */
    private final Consumer<VrrpState> onChange;
    private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean closed;

    private VrrpNotifications(Path fifo, FileChannel channel, Clock clock, Consumer<VrrpState> onChange) {
        this.fifo = fifo;
        this.channel = channel;
        this.clock = clock;
        this.onChange = onChange;
        this.reader = Thread.ofPlatform().daemon().name("vrrp-notify").start(this::readLoop);
    }

    /** Creates the FIFO (owner-only) if it does not exist and starts reading it. */
    static VrrpNotifications open(Path fifo, Consumer<VrrpState> onChange) throws IOException {
        if (!Files.exists(fifo)) {
            Files.createDirectories(fifo.toAbsolutePath().getParent());
            mkfifo(fifo);
        }
        FileChannel channel = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        log.info("VRRP notifications read from fifo={}", fifo);
        return new VrrpNotifications(fifo, channel, Clock.systemUTC(), onChange);
    }

    /** coreutils' mkfifo: the JDK cannot create a FIFO. */
    private static void mkfifo(Path fifo) throws IOException {
        Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mkfifo " + fifo + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: mkfifo " + fifo, e);
        }
    }

    Map<String, VrrpState> states() {
        return Map.copyOf(states);
    }

    Path fifo() {
        return fifo;
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        StringBuilder pending = new StringBuilder();
        try {
            while (!closed) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    return;
                }
                buffer.flip();
                pending.append(StandardCharsets.UTF_8.decode(buffer));
                int nl;
                while ((nl = pending.indexOf("\n")) >= 0) {
                    record(pending.substring(0, nl).strip());
                    pending.delete(0, nl + 1);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.warn("VRRP notifications stopped fifo={}", fifo, e);
            }
        }
    }

    void record(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            if (!line.isEmpty()) {
                log.debug("VRRP notification ignored line=\"{}\"", line);
            }
            return;
        }
        int priority = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        VrrpState state = new VrrpState(m.group(2), m.group(3), priority, clock.instant());
        VrrpState previous = states.put(state.instance(), state);
        if (previous == null || !previous.state().equals(state.state())) {
            log.info("VRRP state instance={} state={} priority={} previous={}", state.instance(), state.state(),
                    priority, previous == null ? "unknown" : previous.state());
            onChange.accept(state);
        }
    }

    @Override
    public void close() {
        closed = true;
        // A FileChannel's read and write share one lock, so the wake-up line goes through a second, write-only
        // descriptor (it opens at once: the reader holds the FIFO open).
        try (FileChannel wake = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
            wake.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
            reader.join(2000);
        } catch (IOException e) {
            log.warn("waking the VRRP fifo reader failed fifo={}", fifo, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing the VRRP fifo failed fifo={}", fifo, e);
        }
    }
}
