package io.convey.cli;

import io.convey.cluster.EtcdClient;
import io.convey.cluster.EtcdSettings;
import io.convey.cluster.Fleet;
import io.convey.cluster.MemberState;
import io.convey.config.ClusterConfig;
import io.convey.config.ConfigLoader;
import io.convey.config.LoadResult;
import io.convey.engine.FleetSync;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convey cluster init|status}: puts a first configuration into an empty fleet key in etcd, and shows the
 * fleet (the revision in etcd, each member's revision and drift, and the servers members disagree about).
 */
@Command(name = "cluster", description = "Bootstrap and inspect a fleet whose configuration is kept in etcd ([cluster]).",
        mixinStandardHelpOptions = true, subcommands = {ClusterCommand.Init.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        UsersCommand.io().err().println("convey cluster: name a subcommand: init or status (convey cluster --help)");
        return ExitCodes.BAD_CONFIG;
    }

    /** Where etcd is: {@code --etcd} and {@code --name}, or the {@code [cluster]} section of a file. */
    static final class Target {
        @Option(names = "--etcd", split = ",", paramLabel = "<url>",
                description = "etcd client URLs (default: etcd_endpoints of the file's [cluster]).")
        List<URI> etcd;

        @Option(names = "--name", paramLabel = "<fleet>", description = "The fleet's name (default: name of [cluster]).")
        String name;

        record Resolved(EtcdSettings settings, String name) {}

        Optional<Resolved> resolve(Path file, PrintStream err) {
            Optional<ClusterConfig> cluster = Optional.empty();
            if (etcd == null || name == null) {
                LoadResult loaded = ConfigLoader.load(file);
                if (!loaded.ok()) {
                    loaded.errors().forEach(err::println);
                    return Optional.empty();
                }
                cluster = loaded.config().orElseThrow().cluster();
                if (cluster.isEmpty()) {
                    err.println(file + ": cluster: missing (expected: a [cluster] section, or --etcd and --name)");
                    return Optional.empty();
                }
            }
            EtcdSettings settings = etcd != null ? EtcdSettings.plain(etcd) : FleetSync.settings(cluster.orElseThrow());
            return Optional.of(new Resolved(settings, name != null ? name : cluster.orElseThrow().name()));
        }
    }

    /** {@code convey cluster init --config=FILE}: the fleet's first configuration; never overwrites one. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Put a config file into an empty fleet key (/convey/<name>/config); refuses to overwrite.")
    static final class Init implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "<file>",
                description = "The fleet's configuration (TOML, comments kept); its [cluster] names etcd unless --etcd.")
        Path config;

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            PrintStream out = UsersCommand.io().out();
            PrintStream err = UsersCommand.io().err();
            LoadResult loaded = ConfigLoader.load(config);
            loaded.problems().forEach(err::println);
            if (!loaded.ok()) {
                return ExitCodes.BAD_CONFIG;
            }
            Optional<Target.Resolved> where = target.resolve(config, err);
            if (where.isEmpty()) {
                return ExitCodes.BAD_CONFIG;
            }
            try (EtcdClient etcd = new EtcdClient(where.get().settings())) {
                Fleet fleet = new Fleet(etcd, where.get().name());
                String text = Files.readString(config, StandardCharsets.UTF_8);
                Optional<Fleet.Revision> existing = fleet.current();
                long expected = 0;
                if (existing.isPresent()) {
                    if (!existing.get().text().isBlank()) {
                        err.println("convey cluster init: " + fleet.configKey() + " holds revision "
                                + existing.get().revision() + " (expected: an empty fleet key; edit a fleet through a"
                                + " member's API, dashboard or console)");
                        return ExitCodes.FAILURE;
                    }
                    expected = existing.get().revision();
                }
                OptionalLong revision = fleet.write(text, expected, new Fleet.Change(System.getProperty("user.name"),
                        "init", "fleet initialised from " + config.getFileName(), Instant.now()));
                if (revision.isEmpty()) {
                    err.println("convey cluster init: " + fleet.configKey() + " was written meanwhile (expected: an empty"
                            + " fleet key)");
                    return ExitCodes.FAILURE;
                }
                out.println("fleet " + fleet.name() + " initialised at revision " + revision.getAsLong() + " ("
                        + fleet.configKey() + " on " + where.get().settings().endpointList() + ")");
                return 0;
            } catch (IOException e) {
                err.println("convey cluster init: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }
    }

    /** {@code convey cluster status [--config=FILE]}: the fleet's revision, members, drift and disagreements. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the fleet: its revision in etcd, each member's revision and drift, health disagreements.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "<file>", description = "A member's file with [cluster] (default: ${DEFAULT-VALUE}).")
        Path config = Path.of("config.toml");

        @picocli.CommandLine.Mixin
        Target target = new Target();

        @Override
        public Integer call() {
            PrintStream out = UsersCommand.io().out();
            PrintStream err = UsersCommand.io().err();
            Optional<Target.Resolved> where = target.resolve(config, err);
            if (where.isEmpty()) {
                return ExitCodes.BAD_CONFIG;
            }
            try (EtcdClient etcd = new EtcdClient(where.get().settings())) {
                Fleet fleet = new Fleet(etcd, where.get().name());
                Optional<Fleet.Revision> current = fleet.current();
                if (current.isEmpty()) {
                    out.println("fleet " + fleet.name() + ": no configuration yet (convey cluster init --config=FILE)");
                    return 0;
                }
                long revision = current.get().revision();
                List<MemberState> members = fleet.members();
                out.println("fleet " + fleet.name() + ": revision " + revision + ", " + members.size() + " member(s) ("
                        + where.get().settings().endpointList() + ")");
                out.printf("%-20s %-9s %-8s %-7s %s%n", "MEMBER", "REVISION", "SOURCE", "UPTIME", "STATE");
                for (MemberState m : members) {
                    String state = m.revision() == revision ? "in step" : "drift (runs " + m.revision() + ")";
                    if (m.rejectedRevision() > 0) {
                        state += "; refused " + m.rejectedRevision() + ": " + String.join("; ", m.rejectedProblems());
                    }
                    out.printf("%-20s %-9d %-8s %-7s %s%n", m.member(), m.revision(), m.source(), m.uptimeS() + "s", state);
                }
                for (Map.Entry<String, Map<String, String>> d : MemberState.disagreements(members).entrySet()) {
                    out.println("members disagree about " + d.getKey() + ": " + d.getValue());
                }
                return 0;
            } catch (IOException e) {
                err.println("convey cluster status: " + e.getMessage());
                return ExitCodes.FAILURE;
            }
        }
    }
}
