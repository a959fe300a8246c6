package io.convey;

import io.convey.cli.AdminFingerprint;
import io.convey.cli.AnnounceSetup;
import io.convey.cli.ClusterCommand;
import io.convey.cli.Daemon;
import io.convey.cli.Demo;
import io.convey.cli.ExitCodes;
import io.convey.cli.ServerSetup;
import io.convey.cli.UsersCommand;
import io.convey.config.ConfigLoader;
import io.convey.config.KeyLocator;
import io.convey.config.LoadResult;
import io.convey.config.Mode;
import io.convey.config.Problem;
import io.convey.config.UnreadableFile;
import io.convey.engine.PacketModeValidation;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code convey} command line, compatible with the original's usage ({@code -p}, {@code -d},
 * {@code --config=<file>} or {@code --config <file>}, default {@code config.toml}) plus {@code --validate},
 * {@code --print-server-setup}, {@code --admin-fingerprint}, {@code --demo} and the {@code users} and {@code cluster} subcommands.
 */
@Command(name = "convey", versionProvider = Main.Version.class, sortOptions = false,
        subcommands = {UsersCommand.class, ClusterCommand.class},
        description = "Layer-4 TCP load balancer: proxy (default), passthrough (NAT) or direct server return.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly / config valid / done", "1:runtime failure", "2:bad command line or config"})
public final class Main implements Callable<Integer> {
    /** Exit code for a configuration that does not validate (the original exited 0). */
    public static final int EXIT_BAD_CONFIG = ExitCodes.BAD_CONFIG;

    @ArgGroup(exclusive = true)
    private ModeFlags modeFlags = new ModeFlags();

    // Not picocli's standard mixin: it spells the version flag -V, the original (and the README) -v.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    private boolean help;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Show the version.")
    private boolean version;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "<file>", description = "Config file location (default: ${DEFAULT-VALUE}).")
    private Path config = Path.of("config.toml");

    @Option(names = "--validate", description = "Check the config file, print every problem, exit 0 (valid) or 2.")
    private boolean validate;

    @Option(names = "--strict", description = "With --validate: warnings (such as an unknown key) also exit 2.")
    private boolean strict;

    @Option(names = "--print-server-setup",
            description = "Print the commands each server needs for direct server return (by its pool's dsr_method).")
    private boolean printServerSetup;

    @Option(names = "--admin-fingerprint",
            description = "Print the SHA-256 fingerprint of the admin listener's certificate (exit 2 if none exists yet).")
    private boolean adminFingerprint;

    @Option(names = "--demo", description = "Start a demo appliance on loopback with three backends and light traffic.")
    private boolean demo;

    @Option(names = "--print-bgp-setup", description = "Print BIRD 2's configuration announcing this appliance's VIPs ([bgp]).")
    private boolean printBgpSetup;

    @Option(names = "--print-keepalived", description = "Print keepalived's configuration for this appliance's VRRP pair ([vrrp]).")
    private boolean printKeepalived;

    /** Mutually exclusive mode flags, as in the original's usage patterns. */
    static final class ModeFlags {
        @Option(names = {"-p", "--passthrough"}, description = "Run in passthrough (NAT) mode instead of proxy mode.")
        boolean passthrough;

        @Option(names = {"-d", "--dsr"}, description = "Run in direct server return mode instead of proxy mode.")
        boolean dsr;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line; returns the exit code (daemon modes return when stopped). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.in, out, err, args);
    }

    /** As {@link #run(PrintStream, PrintStream, String...)}, reading passwords ({@code --password-stdin}) from {@code in}. */
    public static int run(java.io.InputStream in, PrintStream out, PrintStream err, String... args) {
        UsersCommand.io(new UsersCommand.Io(in, out, err, in == System.in ? System.console() : null));
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExitCodeExceptionMapper(e -> EXIT_BAD_CONFIG);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("convey: " + e.getMessage());
            err.println("Try 'convey --help' for usage.");
            return EXIT_BAD_CONFIG;
        });
        Main main = cli.getCommand();
        main.out = out;
        main.err = err;
        return cli.execute(args);
    }

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (demo) {
            return Demo.run(out, err);
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--config")
                && !Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
            err.println(UnreadableFile.missingDefault(config)); // the one message a first start without a file needs
            return EXIT_BAD_CONFIG;
        }
        if (strict && !validate) {
            err.println("convey: --strict applies to --validate only");
            err.println("Try 'convey --help' for usage.");
            return EXIT_BAD_CONFIG;
        }
        if (validate) {
            return validate();
        }
        if (adminFingerprint) {
            return AdminFingerprint.print(config, out, err);
        }
        if (printServerSetup) {
            return ServerSetup.print(config, out, err, EXIT_BAD_CONFIG);
        }
        if (printBgpSetup) {
            return AnnounceSetup.printBird(config, out, err, EXIT_BAD_CONFIG);
        }
        if (printKeepalived) {
            return AnnounceSetup.printKeepalived(config, out, err, EXIT_BAD_CONFIG);
        }
        Mode mode = modeFlags.passthrough ? Mode.PASSTHROUGH : modeFlags.dsr ? Mode.DSR : Mode.PROXY;
        return Daemon.runUntilStopped(mode, config, out, err);
    }

    /**
     * Loads the file and prints every problem; with {@code -p} or {@code -d}, also the packet-mode rules the config
     * alone decides (address families, link-local addresses), placed at their lines.
     */
    private int validate() {
        LoadResult result = ConfigLoader.load(config);
        List<Problem> problems = new ArrayList<>(result.problems());
        Mode mode = modeFlags.passthrough ? Mode.PASSTHROUGH : modeFlags.dsr ? Mode.DSR : Mode.PROXY;
        if (result.ok() && mode != Mode.PROXY) {
            KeyLocator locator = KeyLocator.of(config.toString(), readQuietly(config));
            PacketModeValidation.configProblems(mode, result.config().orElseThrow()).stream()
                    .map(locator::locate).forEach(problems::add);
        }
        problems.sort(LoadResult.LINE_ORDER); // the packet-mode rules' problems join the loader's in line order
        for (Problem problem : problems) {
            err.println(problem);
        }
        long errors = problems.stream().filter(p -> !p.warning()).count();
        if (errors > 0) {
            if (problems.size() > 1) { // a single problem says it all, in one line
                err.println(config + ": " + errors + " problem(s); the configuration is not valid");
            }
            return EXIT_BAD_CONFIG;
        }
        long warnings = problems.size() - errors;
        if (strict && warnings > 0) {
            err.println(config + ": " + warnings + " warning(s); not accepted with --strict");
            return EXIT_BAD_CONFIG;
        }
        var c = result.config().orElseThrow();
        out.println(config + ": valid (" + c.frontends().size() + " frontends, " + c.backends().size() + " pools, "
                + c.backends().values().stream().mapToInt(p -> p.servers().size()).sum() + " servers)");
        return 0;
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {version()};
        }
    }

    public static String version() {
        return io.convey.cli.Version.current(); // Main.Version is picocli's provider
    }

    /** The file's text (it was just read by the loader), or null to report problems without lines. */
    private static String readQuietly(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
