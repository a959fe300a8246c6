package io.convey.cli;

import io.convey.Main;
import io.convey.admin.AdminApi;
import io.convey.admin.AdminServer;
import io.convey.admin.AnnounceRoutes;
import io.convey.announce.Announcer;
import io.convey.config.ConfigFile;
import io.convey.config.ConfigHistory;
import io.convey.config.ConfigLoader;
import io.convey.config.ConfigWatcher;
import io.convey.config.ConveyConfig;
import io.convey.config.LoadResult;
import io.convey.config.Mode;
import io.convey.config.Problem;
import io.convey.config.SocketAddresses;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import io.convey.engine.ReloadStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The running appliance: engine, admin server, config watcher and the once-a-second stats sampler,
 * started from a config file and stopped together.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** Quiet period after the last file event before reloading: a save applies within a second (bench/reload). */
    static final Duration RELOAD_QUIET = Duration.ofMillis(250);

    private final Engine engine;
    private final ConfigFile file;
    private final ConfigEditor editor;
    private final ConfigHistory history;
    private final AdminServer admin;
    private final InetSocketAddress adminAddress;
    private final ConfigWatcher watcher;
    private final ScheduledExecutorService sampler;

    private Daemon(Engine engine, ConfigFile file, ConfigEditor editor, ConfigHistory history, AdminServer admin,
            InetSocketAddress adminAddress, ConfigWatcher watcher, ScheduledExecutorService sampler) {
        this.engine = engine;
        this.file = file;
        this.editor = editor;
        this.history = history;
        this.admin = admin;
        this.adminAddress = adminAddress;
        this.watcher = watcher;
        this.sampler = sampler;
    }

    /** Thrown when the daemon cannot start; carries every problem. */
    public static final class StartupException extends Exception {
        private final java.util.List<Problem> problems;

        StartupException(String message, java.util.List<Problem> problems) {
            super(message);
            this.problems = java.util.List.copyOf(problems);
        }

        public java.util.List<Problem> problems() {
            return problems;
        }
    }

    /** Loads, validates and starts everything; nothing is left running if it fails. Writes are trusted from loopback. */
    public static Daemon start(Mode mode, Path configPath) throws StartupException {
        return start(mode, configPath, InetAddress::isLoopbackAddress);
    }

    /**
     * As {@link #start(Mode, Path)}, with the client addresses whose API writes need no bearer token.
     */
    public static Daemon start(Mode mode, Path configPath, Predicate<InetAddress> trustedWriters) throws StartupException {
        ConfigFile file = new ConfigFile(configPath);
        String text;
        try {
            text = file.read();
        } catch (IOException e) {
            throw new StartupException("cannot read " + configPath, java.util.List.of(Problem.error(configPath.toString(), 0,
                    "", "cannot read file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
        }
        LoadResult loaded = ConfigLoader.parse(text, configPath.toString(), file.path().getParent());
        loaded.problems().stream().filter(Problem::warning).forEach(p -> log.warn("{}", p));
        if (!loaded.ok()) {
            throw new StartupException(configPath + " is not valid", loaded.errors());
        }
        ConveyConfig config = loaded.config().orElseThrow();
        ConfigHistory history;
        try {
            history = ConfigHistory.open(file.path(), ConfigHistory.DEFAULT_CAPACITY);
        } catch (IOException e) {
            throw new StartupException("cannot keep the config history", java.util.List.of(Problem.error(
                    configPath.toString(), 0, "", "cannot create " + ConfigHistory.DIRECTORY + " next to the file ("
                            + e.getClass().getSimpleName() + ")")));
        }
        Engine engine = Engines.create(mode);
        engine.addListener(event -> {
            if (event instanceof EngineEvent.ConfigApplied applied && applied.text() != null) {
                file.markApplied(applied.text());
                history.record(applied.version(), applied.at(), applied.source(), applied.summary(), applied.text());
            }
        });
        ReloadStatus status = engine.start(config, text);
        if (!status.ok()) {
            engine.close();
            throw new StartupException("cannot start", status.problems());
        }
        ConfigEditor editor = new ConfigEditor(engine, file);
        AdminServer admin = new AdminServer(engine);
        new AdminApi(engine, editor, history, file.path(), trustedWriters, Main.version()).install(admin);
        AnnounceRoutes.install(admin, engine, Announcer.start(engine)); // [bgp] and [vrrp]; stops with the admin server
        InetSocketAddress adminAddress;
        boolean fromAdminSection = config.admin().listenAddr().isPresent();
        InetSocketAddress wanted;
        try {
            wanted = config.admin().listenAddr()
                    .orElse(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), config.stats().port()));
        } catch (IOException e) {
            throw new IllegalStateException("0.0.0.0 is a valid address", e);
        }
        try {
            adminAddress = admin.start(wanted);
        } catch (RuntimeException e) {
            engine.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StartupException("cannot start the stats/admin server", java.util.List.of(Problem.error(
                    configPath.toString(), 0, fromAdminSection ? "admin.listen_addr" : "stats.port",
                    "\"" + SocketAddresses.format(wanted) + "\" cannot be bound (" + cause.getClass().getSimpleName()
                            + ": " + cause.getMessage() + ")")));
        }
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(engine::sample, 1, 1, TimeUnit.SECONDS);
        ConfigWatcher watcher;
        try {
            watcher = new ConfigWatcher(file.path(), RELOAD_QUIET, () -> editor.reloadFromFile("file"));
        } catch (IOException e) {
            sampler.shutdownNow();
            admin.close();
            engine.close();
            throw new StartupException("cannot watch " + configPath, java.util.List.of(Problem.error(configPath.toString(),
                    0, "", "cannot watch the file (" + e.getClass().getSimpleName() + ")")));
        }
        return new Daemon(engine, file, editor, history, admin, adminAddress, watcher, sampler);
    }

    /** Re-reads the file and applies it if it changed since the last applied text (a broken file is rejected). */
    public ReloadStatus reloadFromFile(String source) {
        return editor.reloadFromFile(source);
    }

    public Engine engine() {
        return engine;
    }

    public ConfigFile file() {
        return file;
    }

    /** Validated edits of the running config and its file (what the admin API's writes call). */
    public ConfigEditor editor() {
        return editor;
    }

    public ConfigHistory history() {
        return history;
    }

    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    public AdminServer admin() {
        return admin;
    }

    @Override
    public void close() {
        watcher.close();
        sampler.shutdownNow();
        admin.close();
        engine.close();
        log.info("stopped");
    }

    /** Runs until the JVM is asked to stop (Ctrl-C, SIGTERM); returns the process exit code. */
    public static int runUntilStopped(Mode mode, Path config, PrintStream out, PrintStream err) {
        Daemon daemon;
        try {
            daemon = start(mode, config);
        } catch (StartupException e) {
            e.problems().forEach(err::println);
            err.println("convey: " + e.getMessage());
            return Main.EXIT_BAD_CONFIG;
        }
        out.println("convey " + Main.version() + " running in " + mode.id() + " mode, config " + daemon.file.path()
                + ", stats http://" + hostForUrl(daemon.adminAddress) + ":" + daemon.adminAddress.getPort() + "/stats");
        if (mode == Mode.DSR) {
            out.println("Each server needs this setup for direct server return (also: convey --print-server-setup):");
            out.print(ServerSetup.script(daemon.engine.config()));
        }
        reloadOnHangup(daemon);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Re-reads the config file on SIGHUP ({@code systemctl reload}), as the watcher does on a save; without
     * a handler the JVM treats SIGHUP as a request to exit. {@code sun.misc.Signal} (module jdk.unsupported)
     * because the JDK's own {@code jdk.internal.misc.Signal} is not exported and there is no public API.
     * Returns a handle that restores the previous handler (the handler is process-wide).
     */
    static AutoCloseable reloadOnHangup(Daemon daemon) {
        Signal hangup = new Signal("HUP");
        SignalHandler previous = Signal.handle(hangup, signal -> {
            log.info("reload requested signal=SIG{}", signal.getName());
            daemon.reloadFromFile("signal");
        });
        return () -> Signal.handle(hangup, previous);
    }

    static String hostForUrl(InetSocketAddress address) {
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
