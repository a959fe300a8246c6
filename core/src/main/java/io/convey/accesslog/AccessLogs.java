package io.convey.accesslog;

import ch.qos.logback.core.ContextBase;
import ch.qos.logback.core.status.Status;
import io.convey.traffic.AccessEntry;
import io.convey.traffic.AccessSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access logs of every frontend: entries are handed to one writer thread through a bounded ring per producer
 * thread ({@link Lane}; an event loop or packet worker never waits on a disk, and when its ring is full the entry is
 * dropped and counted), and the writer formats them and appends them to their destination through Logback
 * ({@link Output}). The latest entries also stay in memory, in a bounded ring, for the admin API.
 *
 * <p>The writer works in batches: it takes what is queued, appends it to buffered outputs, flushes each output once,
 * and when the rings are empty parks for {@link #IDLE_WAIT_MS}, doubling up to {@link #IDLE_WAIT_MAX_MS} while
 * they stay empty, and with no destination open until a command comes (a command unparks it at once), rather than
 * waiting on them. A writer waiting on a queue would be woken by every entry (a futex wake-up and a context switch per
 * connection, on the CPU the event loop runs on); parked, it lets an entry reach its file within about that time and
 * a busy frontend's lines leave in a few large writes.
 *
 * <p>{@link #configure} is called by the engine's writer only; destinations are opened and closed by commands in a
 * queue of their own, which the writer reads after taking each batch from the rings: a destination is opened before
 * that batch is written, as it may hold the destination's first entries, and closed after the next one, which holds
 * every entry queued before the close.
 *
 * <p>Rings per producer rather than one shared queue: see {@link Lane}. The JDK's bounded queues take a lock that
 * the producers and the writer contend for (a contended lock parks a thread: a futex call and a context switch),
 * and its lock-free queue bounded by a counter made two contended atomic operations per entry.
 *
 * <p>Measured with passthrough's access log on two saturated CPUs (bench/packet {@code close_tc} against
 * {@code close}, new connections per second, 5-round runs; docs/benchmarks.md): 0.95 with the shared queue or the
 * rings and a 50 ms park, 0.96 with the shared queue and a 5 ms park, 0.99 to 1.00 with the rings and a 5 ms park
 * (0.98 with the rings and a writer that formats nothing, 0.99 with no entries at all).
 */
public final class AccessLogs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessLogs.class);
    /**
     * Entries one producer thread may have waiting for the writer (about 2.5 MB): 290 ms of a packet worker at 28,000
     * connections a second, where the writer takes them every {@link #IDLE_WAIT_MS}.
     */
    static final int LANE_CAPACITY = 8_192;
    /**
     * How long the writer parks when nothing is queued: the most an entry waits before it is written. Short, so that a
     * busy log is written in short bursts: after a 50 ms park the writer had about 1,500 lines of a busy frontend to
     * format and write at once, a millisecond and a half in which the packet worker or event loop sharing its CPU did
     * not run and the connections waiting on it stalled; every 5 ms it is a tenth of that, and 200 wake-ups a second
     * cost little.
     */
    static final long IDLE_WAIT_MS = 5;
    /**
     * The longest park while the rings stay empty: a quiet log wakes the writer 20 times a second, not 200 (each
     * wake-up can preempt an event loop or packet worker on its CPU), and a line reaches its file within 50 ms.
     */
    static final long IDLE_WAIT_MAX_MS = 50;
    /** Entries taken from each producer's ring at once. */
    static final int BATCH = 1_024;
    /**
     * How far the writer thread's nice value is raised over the daemon's: below the data plane's priority, so that a
     * writer woken among busy packet workers or event loops runs in their gaps instead of preempting them (the log's
     * work is not urgent, the forwarding is). Measured with passthrough's access log on two saturated CPUs
     * (bench/packet close_tc, docs/benchmarks.md): the median rate against the log off went from 0.938 to
     * 0.945-0.951, within the runs' spread, and no line was dropped; a nice-10 thread still gets about a tenth of a
     * busy thread's share, more than its work at 25,000 lines a second. A writer that falls behind for good fills the
     * rings, and further lines are dropped and counted ({@link #dropped()}) rather than slowing the forwarding.
     */
    static final int WRITER_NICE = 10;
    /** Entries kept in memory for the admin API. */
    public static final int LATEST_CAPACITY = 1_000;

    /** How one frontend logs: where, in which format, with what rotation. */
    public record Settings(String destination, boolean json, long maxSize, int maxFiles) {
        String outputKey() {
            return Output.key(destination, maxSize, maxFiles);
        }
    }

    /** An entry as the data plane hands it over; the writer fills in the frontend and pool it does not name. */
    private record Item(AccessEntry entry, String frontend, String pool, String output, boolean json) {
        AccessEntry complete() {
            return entry.frontend() != null && entry.pool() != null ? entry
                    : new AccessEntry(entry.startMillis(), entry.client(), frontend, entry.pool() == null ? pool
                            : entry.pool(), entry.server(), entry.serverAddress(), entry.bytesFromClient(),
                            entry.bytesFromServer(), entry.durationNanos(), entry.connectNanos(), entry.queueNanos(),
                            entry.ending());
        }
    }

    private record Open(Settings settings) {}

    private record Close(String output) {}

    private static final Object STOP = new Object();

    /** The producers' rings; a producer adds its own on its first entry, the writer drops those of ended threads. */
    private final List<Lane> lanes = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Lane> lane = ThreadLocal.withInitial(this::newLane);
    /** Opens, closes and the stop, from the engine's writer; read by the writer before each batch. */
    private final ConcurrentLinkedQueue<Object> commands = new ConcurrentLinkedQueue<>();
    private final ContextBase context = new ContextBase();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final ArrayDeque<AccessEntry> latest = new ArrayDeque<>(LATEST_CAPACITY);
    private final Thread writer;
    /** Open destinations by key, and the frontends using each; engine writer only. */
    private final Map<String, Set<String>> users = new HashMap<>();
    private final Map<String, Settings> byFrontend = new HashMap<>();
    /** The writer thread's open appenders. */
    private final Map<String, Output> outputs = new HashMap<>();
    /** Destinations and Logback messages already reported as failing: each is logged once. */
    private final Set<String> failing = new HashSet<>();

    public AccessLogs() {
        context.setName("convey-access-log");
        writer = Thread.ofPlatform().name("convey-access-log").daemon().start(this::run);
    }

    /**
     * Makes the destinations match {@code frontends} (frontend name to its settings; absent: no log), opening new ones
     * and closing those no frontend uses any more.
     */
    public void configure(Map<String, Settings> frontends) {
        Map<String, Settings> before = Map.copyOf(byFrontend);
        byFrontend.clear();
        byFrontend.putAll(frontends);
        for (Map.Entry<String, Settings> e : frontends.entrySet()) {
            String key = e.getValue().outputKey();
            if (!users.containsKey(key)) {
                command(new Open(e.getValue()));
                log.info("access log opened destination={} frontend={}", e.getValue().destination(), e.getKey());
            }
            users.computeIfAbsent(key, k -> new HashSet<>()).add(e.getKey());
        }
        for (Map.Entry<String, Settings> e : before.entrySet()) {
            Settings now = frontends.get(e.getKey());
            String key = e.getValue().outputKey();
            if (now == null || !now.outputKey().equals(key)) {
                Set<String> using = users.get(key);
                using.remove(e.getKey());
                if (using.isEmpty()) {
                    users.remove(key);
                    command(new Close(key));
                    log.info("access log closed destination={}", e.getValue().destination());
                }
            }
        }
    }

    /** The sink of one frontend, with the pool its entries name when the data plane does not. */
    public AccessSink sink(String frontend, String pool, Settings settings) {
        String output = settings.outputKey();
        boolean json = settings.json();
        return entry -> {
            if (!lane.get().offer(new Item(entry, frontend, pool, output, json))) {
                dropped.increment();
            }
        };
    }

    /** Entries dropped because the writer fell behind (the queue was full). */
    public long dropped() {
        return dropped.sum();
    }

    /** Entries written (and flushed to their destination). */
    public long written() {
        return written.sum();
    }

    /** The latest entries that pass {@code filter}, newest first, at most {@code limit}. */
    public List<AccessEntry> latest(Predicate<AccessEntry> filter, int limit) {
        List<AccessEntry> out = new ArrayList<>();
        synchronized (latest) {
            var it = latest.descendingIterator();
            while (it.hasNext() && out.size() < limit) {
                AccessEntry e = it.next();
                if (filter.test(e)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private void command(Object command) {
        commands.offer(command);
        LockSupport.unpark(writer);
    }

    private Lane newLane() {
        Lane l = new Lane(Thread.currentThread(), LANE_CAPACITY);
        lanes.add(l);
        return l;
    }

    /** Producer rings the writer reads: one per thread that has logged and is alive or still has entries waiting. */
    int lanes() {
        return lanes.size();
    }

    /** Entries waiting in every producer's ring (a moment's view). */
    private int waiting() {
        return lanes.stream().mapToInt(Lane::size).sum();
    }

    /**
     * Takes up to {@code max} entries from each ring into {@code batch} (every entry there is now when {@code all});
     * drops the rings of producers that have ended once they are empty. How many.
     */
    private int drain(List<Object> batch, int max, boolean all) {
        int n = 0;
        for (Lane l : lanes) {
            n += l.drain(batch, all ? Integer.MAX_VALUE : max);
            if (!l.owner.isAlive() && l.size() == 0) {
                lanes.remove(l);
            }
        }
        return n;
    }

    private void run() {
        String notLowered = ThreadNice.lower(WRITER_NICE);
        if (notLowered != null) {
            log.info("access log writer keeps the default priority reason=\"{}\"", notLowered);
        }
        List<Object> batch = new ArrayList<>(BATCH);
        // A close waits for the batch after the one during which it was read: an entry queued before the close is
        // in one of the two. An open is done as soon as it is read, after the drain that may hold its first entries.
        Set<String> closeAfterThisBatch = new HashSet<>();
        Set<String> closeAfterNextBatch = new HashSet<>();
        boolean stopping = false;
        long idleWaitMs = IDLE_WAIT_MS;
        try {
            while (true) {
                boolean last = stopping; // the stop was read last time: this batch takes everything left
                int taken = drain(batch, BATCH, last || !closeAfterThisBatch.isEmpty());
                boolean commanded = false;
                for (Object next; (next = commands.poll()) != null; commanded = true) {
                    switch (next) {
                        case Open open -> {
                            String key = open.settings().outputKey();
                            // (closed and opened again in between: the open output stays)
                            if (!closeAfterThisBatch.remove(key) & !closeAfterNextBatch.remove(key)) {
                                open(open.settings());
                            }
                        }
                        case Close close -> closeAfterNextBatch.add(close.output());
                        default -> {
                            if (next != STOP) {
                                throw new IllegalStateException("unexpected " + next);
                            }
                            stopping = true;
                        }
                    }
                }
                if (taken == 0 && !commanded && !last && closeAfterThisBatch.isEmpty()) {
                    // Woken early by a command (open, close, stop), never by an entry.
                    if (outputs.isEmpty()) {
                        LockSupport.park(); // no frontend logs: nothing can come but a command
                    } else {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(idleWaitMs));
                        idleWaitMs = Math.min(idleWaitMs * 2, IDLE_WAIT_MAX_MS);
                    }
                    if (Thread.interrupted()) {
                        break;
                    }
                    continue;
                }
                idleWaitMs = IDLE_WAIT_MS;
                int statusesBefore = context.getStatusManager().getCount();
                int lines = 0;
                for (Object next : batch) {
                    lines += write((Item) next) ? 1 : 0;
                }
                batch.clear();
                flush();
                for (String key : closeAfterThisBatch) {
                    Output output = outputs.remove(key);
                    if (output != null) {
                        output.close();
                    }
                }
                closeAfterThisBatch.clear();
                Set<String> swap = closeAfterThisBatch;
                closeAfterThisBatch = closeAfterNextBatch;
                closeAfterNextBatch = swap;
                written.add(lines);
                reportErrors(statusesBefore);
                if (last) {
                    break;
                }
            }
        } finally {
            outputs.values().forEach(Output::close);
            outputs.clear();
        }
    }

    private void flush() {
        for (Map.Entry<String, Output> e : outputs.entrySet()) {
            String error = e.getValue().flush();
            if (error != null && failing.add(e.getKey())) {
                log.warn("access log write failed destination={} reason=\"{}\"", e.getKey(), error);
            }
        }
    }

    /**
     * Logs an error Logback recorded while this batch was written (it reports write failures in its status list, not
     * to the caller; the message names the file), once per distinct message. Looked at once per batch: the status
     * manager's count is read under its lock.
     */
    private void reportErrors(int statusesBefore) {
        if (context.getStatusManager().getCount() == statusesBefore) {
            return;
        }
        String error = lastError(statusesBefore);
        if (error != null && failing.add(error)) {
            log.warn("access log write failed reason=\"{}\"", error);
        }
    }

    private void open(Settings settings) {
        int statusesBefore = context.getStatusManager().getCount();
        Output output = Output.open(context, settings.destination(), settings.maxSize(), settings.maxFiles());
        outputs.put(output.key(), output);
        if (!output.started()) {
            log.warn("access log cannot be written destination={} reason=\"{}\"", settings.destination(),
                    lastError(statusesBefore));
        }
    }

    /** Appends one line to its destination's buffer (counted as written once the batch is flushed). */
    private boolean write(Item item) {
        Output output = outputs.get(item.output());
        if (output == null) {
            dropped.increment();
            return false;
        }
        AccessEntry entry = item.complete();
        if (item.json()) {
            LineFormat.json(output.line(), entry);
        } else {
            LineFormat.text(output.line(), entry);
        }
        output.endLine();
        synchronized (latest) {
            if (latest.size() == LATEST_CAPACITY) {
                latest.removeFirst();
            }
            latest.addLast(entry);
        }
        return true;
    }

    /** The last error Logback reported since its status count was {@code from} (its list keeps the latest ones). */
    private String lastError(int from) {
        List<Status> list = context.getStatusManager().getCopyOfStatusList();
        int added = context.getStatusManager().getCount() - from;
        for (int i = list.size() - 1; i >= Math.max(0, list.size() - added); i--) {
            if (list.get(i).getEffectiveLevel() >= Status.ERROR) {
                Status s = list.get(i);
                return s.getMessage() + (s.getThrowable() == null ? "" : " (" + s.getThrowable() + ")");
            }
        }
        return null;
    }

    /**
     * Writes what is queued, then closes every destination. A writer stuck on its destination (a full pipe, a hung
     * disk) is interrupted after 10 s rather than waited for: shutting down must not hang on a log.
     */
    @Override
    public void close() {
        try {
            command(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(10));
            if (writer.isAlive()) {
                log.warn("access log writer did not finish within 10 s; stopping it queued={}", waiting());
                writer.interrupt();
                writer.join(TimeUnit.SECONDS.toMillis(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
