package io.convey.cli;

import io.convey.admin.AdminApi;
import io.convey.admin.AdminServer;
import io.convey.admin.AnnounceRoutes;
import io.convey.announce.Announcer;
import io.convey.announce.KeepalivedIncludeFile;
import io.convey.admin.auth.AdminAuth;
import io.convey.admin.auth.AdminHosts;
import io.convey.admin.auth.SelfSignedCertificate;
import io.convey.admin.auth.TlsMaterial;
import io.convey.config.AdminConfig;
import io.convey.config.ConfigFile;
import io.convey.config.ConfigHistory;
import io.convey.config.ConfigLoader;
import io.convey.config.ConfigWatcher;
import io.convey.config.ConveyConfig;
import io.convey.config.LoadResult;
import io.convey.config.Mode;
import io.convey.config.Problem;
import io.convey.config.SocketAddresses;
import io.convey.config.UnreadableFile;
import io.convey.engine.ConfigEditor;
import io.convey.engine.Engine;
import io.convey.engine.EngineEvent;
import io.convey.engine.FleetSync;
import io.convey.engine.ReloadStatus;
import io.convey.net.BindFailure;
import io.convey.notify.Notifier;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final AdminAuth auth;
    private final Optional<TlsMaterial> tls;
    private final Optional<FleetSync> fleet;

    private Daemon(Engine engine, ConfigFile file, ConfigEditor editor, ConfigHistory history, AdminServer admin,
            InetSocketAddress adminAddress, ConfigWatcher watcher, ScheduledExecutorService sampler, AdminAuth auth,
            Optional<TlsMaterial> tls, Optional<FleetSync> fleet) {
        this.fleet = fleet;
        this.auth = auth;
        this.tls = tls;
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

        /** The message and every problem, one a line: what a stack trace or a test failure shows. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(super.toString());
            problems.forEach(p -> b.append(System.lineSeparator()).append("  ").append(p));
            return b.toString();
        }
    }

    /**
     * Loads, validates and starts everything; nothing is left running if it fails. The admin listener serves
     * HTTPS (unless {@code [admin] tls = "off"} on loopback) and every route but login needs a credential.
     */
    public static Daemon start(Mode mode, Path configPath) throws StartupException {
        ConfigFile file = new ConfigFile(configPath);
        String text;
        try {
            text = file.read();
        } catch (IOException e) {
            throw new StartupException("cannot read " + configPath, java.util.List.of(UnreadableFile.problem(configPath, e)));
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
                history.record(applied.version(), applied.at(), applied.source(), applied.summary(), applied.by(),
                        applied.text());
            }
        });
        Optional<FleetSync> fleet = Optional.empty();
        Optional<FleetSync.Initial> initial = Optional.empty();
        if (config.cluster().isPresent()) { // [cluster]: the configuration is the fleet's, this file the member's own
            if (!config.frontends().isEmpty() || !config.backends().isEmpty()) {
                log.warn("frontends and backends of {} are ignored: with [cluster] the configuration is the fleet's in"
                        + " etcd (this file keeps [cluster] and [admin])", configPath);
            }
            FleetSync sync = openFleet(engine, config, configPath);
            FleetSync.Initial first = fleetInitial(sync, engine);
            LoadResult fleetLoaded = sync.parse(first.revision().text(), first.fileLabel());
            fleetLoaded.problems().stream().filter(Problem::warning).forEach(p -> log.warn("{}", p));
            if (!fleetLoaded.ok()) {
                sync.close();
                engine.close();
                throw new StartupException("the fleet's configuration is not valid", fleetLoaded.errors());
            }
            config = fleetLoaded.config().orElseThrow();
            text = first.revision().text();
            fleet = Optional.of(sync);
            initial = Optional.of(first);
        }
        InetSocketAddress wanted = adminAddress(config);
        AdminAuth auth;
        Optional<TlsMaterial> tls;
        try {
            auth = openAuth(config.admin(), file.path());
            tls = tls(config.admin(), file.path(), wanted);
        } catch (IOException e) {
            fleet.ifPresent(FleetSync::close);
            engine.close();
            throw new StartupException("cannot prepare the admin listener", java.util.List.of(Problem.error(
                    configPath.toString(), 0, "admin", e.getMessage() + " (expected: readable TLS files and a writable"
                            + " state_dir " + config.admin().stateDir(file.path()) + ")")));
        }
        engine.configFile(initial.map(FleetSync.Initial::fileLabel).orElse(configPath.toString()));
        ReloadStatus status = initial.isPresent()
                ? engine.apply(config, "startup", "startup", "initial configuration (" + initial.get().source() + ")",
                        text, initial.get().revision().revision())
                : engine.start(config, text);
        if (!status.ok()) {
            fleet.ifPresent(FleetSync::close);
            engine.close();
            // The engine does not know the file: a listener problem names it here ("listener" otherwise).
            throw new StartupException("cannot start", status.problems().stream()
                    .map(p -> p.file().equals("listener") ? new Problem(configPath.toString(), p.line(), p.path(),
                            p.message(), p.warning()) : p)
                    .toList());
        }
        ConfigEditor editor = new ConfigEditor(engine, file);
        if (initial.isPresent()) {
            fleet.orElseThrow().started(initial.get());
        }
        fleet.ifPresent(editor::followFleet);
        AdminServer admin = new AdminServer(engine);
        AdminApi api = new AdminApi(engine, editor, history, file.path(), auth, AdminHosts.accepted(wanted,
                SelfSignedCertificate.defaultNames(), config.admin().allowedHosts()), Version.current());
        fleet.ifPresent(api::followFleet);
        api.install(admin);
        AnnounceRoutes.install(admin, engine, Announcer.start(engine)); // [bgp] and [vrrp]; stops with the admin server
        KeepalivedIncludeFile include = KeepalivedIncludeFile.start(engine, c -> AnnounceSetup.keepalived(c, configPath));
        if (include != null) { // [vrrp] include_file
            admin.closeWith(include);
        }
        InetSocketAddress adminAddress;
        boolean fromAdminSection = config.admin().listenAddr().isPresent();
        try {
            adminAddress = admin.start(wanted, tls);
        } catch (RuntimeException e) {
            admin.close(); // the announce adapter withdraws what it announced
            fleet.ifPresent(FleetSync::close);
            engine.close();
            log.debug("admin listener failed to start listen={}", wanted, e);
            throw new StartupException("cannot start the stats/admin server", java.util.List.of(Problem.error(
                    configPath.toString(), 0, fromAdminSection ? "admin.listen_addr" : "stats.port",
                    "\"" + SocketAddresses.format(wanted) + "\" cannot be bound (" + BindFailure.reason(e) + ")")));
        }
        admin.closeWith(Notifier.start(engine, Version.current())); // webhooks of [notify], closed with the admin server
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stats-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(engine::sample, 1, 1, TimeUnit.SECONDS);
        ConfigWatcher watcher = null;
        fleet.ifPresent(FleetSync::follow); // from the revision after the one just applied
        try {
            if (fleet.isEmpty()) { // a fleet member's file is its own settings; the configuration comes from etcd
                watcher = new ConfigWatcher(file.path(), RELOAD_QUIET, () -> editor.reloadFromFile("file"));
            }
        } catch (IOException e) {
            sampler.shutdownNow();
            admin.close();
            engine.close();
            throw new StartupException("cannot watch " + configPath, java.util.List.of(Problem.error(configPath.toString(),
                    0, "", "cannot watch the file (" + e.getClass().getSimpleName() + ")")));
        }
        return new Daemon(engine, file, editor, history, admin, adminAddress, watcher, sampler, auth, tls, fleet);
    }

    private static FleetSync openFleet(Engine engine, ConveyConfig config, Path configPath) throws StartupException {
        try {
            return FleetSync.open(engine, config.cluster().orElseThrow(), config.admin(), configPath);
        } catch (IOException e) {
            engine.close();
            throw new StartupException("cannot prepare the etcd client", java.util.List.of(Problem.error(
                    configPath.toString(), 0, "cluster", e.getMessage())));
        }
    }

    private static FleetSync.Initial fleetInitial(FleetSync sync, Engine engine) throws StartupException {
        try {
            return sync.initial();
        } catch (io.convey.config.ConfigEditException e) {
            sync.close();
            engine.close();
            throw new StartupException(e.getMessage(), e.problems());
        }
    }

    /** {@code [admin] listen_addr}, or the original's {@code [stats] port} on every address. */
    static InetSocketAddress adminAddress(ConveyConfig config) {
        return config.admin().listenAddr()
                .orElseGet(() -> new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), config.stats().port()));
    }

    /** The users file, tokens, sessions and audit log; creates the first admin when there are no users. */
    static AdminAuth openAuth(AdminConfig admin, Path configFile) throws IOException {
        return AdminAuth.open(admin.stateDir(configFile), admin.usersFile(configFile), admin.sessionIdleTimeout(),
                admin.sessionMaxAge(), Clock.systemUTC());
    }

    /** The configured certificate, or the self-signed one in state_dir (made at first start); empty with tls = "off". */
    static Optional<TlsMaterial> tls(AdminConfig admin, Path configFile, InetSocketAddress listen) throws IOException {
        if (!admin.tls()) {
            return Optional.empty();
        }
        if (admin.tlsCert().isPresent()) {
            return Optional.of(TlsMaterial.load(admin.tlsCert().get(), admin.tlsKey().orElseThrow()));
        }
        return Optional.of(TlsMaterial.selfSigned(admin.stateDir(configFile), SelfSignedCertificate.defaultNames(),
                AdminHosts.addresses(listen), Clock.systemUTC()));
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

    /** The fleet this member follows ({@code [cluster]}); empty when the file is the source of truth. */
    public Optional<FleetSync> fleet() {
        return fleet;
    }

    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    public AdminServer admin() {
        return admin;
    }

    /** Users, tokens, sessions and the audit log of the admin plane. */
    public AdminAuth auth() {
        return auth;
    }

    /** The admin listener's certificate; empty with {@code tls = "off"}. */
    public Optional<TlsMaterial> tls() {
        return tls;
    }

    /** {@code https://127.0.0.1:port} (or http with tls = "off"; the listen address when not the wildcard). */
    public String adminUrl() {
        return (tls.isPresent() ? "https" : "http") + "://" + hostForUrl(adminAddress) + ":" + adminAddress.getPort();
    }

    @Override
    public void close() {
        fleet.ifPresent(FleetSync::close); // revokes the member's lease: it leaves the fleet view at once
        if (watcher != null) {
            watcher.close();
        }
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
            if (e.problems().size() != 1) { // a single problem says it all, in one line
                err.println("convey: " + e.getMessage());
            }
            return ExitCodes.BAD_CONFIG;
        }
        out.println("convey " + Version.current() + " running in " + mode.id() + " mode, config " + daemon.file.path()
                + ", admin " + daemon.adminUrl() + "/ (stats " + daemon.adminUrl() + "/stats)");
        daemon.tls.ifPresent(t -> out.println("admin certificate " + t.certFile() + " SHA256 Fingerprint="
                + t.identity().fingerprint()));
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
