package io.convey.accesslog;

import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One destination of access-log lines: a file rotated by size, or standard output. Logback's own appenders do the
 * writing and the rotation (a rolling file appender with a fixed window of numbered files, {@code access.log.1} the
 * newest, and a size trigger), rather than a rotator of our own. Logback's size trigger looks at the file at most
 * once per check increment, 60 s by default; it is set to 100 ms here, so that a file passes its size by at most what
 * is written in 100 ms (one stat call per 100 ms costs nothing). Lines are appended to the appender's buffered
 * stream without a flush each ({@code immediateFlush} off: a write system call per line was most of the log's cost
 * per connection); the writer flushes once per batch ({@link #flush}). Used by the writer thread only.
 */
final class Output {
    /** How often, at most, the size of the current file is looked at. */
    static final long CHECK_INCREMENT_MS = 100;
    /** The file's write buffer: a batch of a busy frontend's lines (about 270 bytes each) leaves in a few writes. */
    static final long BUFFER_BYTES = 256 << 10;
    private final String key;
    private final OutputStreamAppender<String> appender;
    /** Lines of the current batch, each ending in a newline, handed to the appender at once by {@link #flush}. */
    private final StringBuilder pending = new StringBuilder(64 << 10);

    private Output(String key, OutputStreamAppender<String> appender) {
        this.key = key;
        this.appender = appender;
    }

    /** Where lines for {@code destination} go, with the rotation settings as the key (a change opens a new one). */
    static String key(String destination, long maxSize, int maxFiles) {
        return destination.equals("stdout") ? "stdout" : destination + "|" + maxSize + "|" + maxFiles;
    }

    static Output open(Context context, String destination, long maxSize, int maxFiles) {
        String key = key(destination, maxSize, maxFiles);
        if (destination.equals("stdout")) {
            ConsoleAppender<String> console = new ConsoleAppender<>();
            console.setContext(context);
            console.setName("access-stdout");
            console.setEncoder(encoder(context));
            console.setImmediateFlush(false);
            console.start();
            return new Output(key, console);
        }
        RollingFileAppender<String> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("access-" + destination);
        file.setFile(destination);
        file.setAppend(true);
        file.setEncoder(encoder(context));
        file.setImmediateFlush(false);
        file.setBufferSize(new FileSize(BUFFER_BYTES));
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(destination + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(maxFiles);
        rolling.start();
        SizeBasedTriggeringPolicy<String> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(maxSize));
        trigger.setCheckIncrement(Duration.buildByMilliseconds(CHECK_INCREMENT_MS));
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.start();
        return new Output(key, file);
    }

    private static LineEncoder encoder(Context context) {
        LineEncoder encoder = new LineEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    String key() {
        return key;
    }

    boolean started() {
        return appender.isStarted();
    }

    /** Where the next line is appended (the caller ends it with {@link #endLine}). */
    StringBuilder line() {
        return pending;
    }

    void endLine() {
        pending.append('\n');
    }

    /**
     * Hands the batch's lines to the appender as one event (one pass through Logback's appender, its rotation check
     * and encoder per batch, not per line; a file passes its size by at most one batch), then writes out what is
     * buffered. The error's text if that failed, else null.
     */
    String flush() {
        if (!pending.isEmpty()) {
            appender.doAppend(pending.toString());
            pending.setLength(0);
        }
        OutputStream out = appender.getOutputStream();
        if (out == null || !appender.isStarted()) {
            return null;
        }
        try {
            out.flush();
            return null;
        } catch (IOException e) {
            return e.toString();
        }
    }

    void close() {
        flush();
        appender.stop();
    }
}
