package io.convey.cli;

import io.convey.admin.auth.AuthException;
import io.convey.admin.auth.Role;
import io.convey.admin.auth.UserStore;
import io.convey.config.ConfigLoader;
import io.convey.config.LoadResult;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convey users add|passwd|remove|list}: manages the users file named by the config's {@code [admin]
 * users_file} (default {@code users.json} next to it). A running daemon sees the change at its next request.
 */
@Command(name = "users", description = "Manage the admin users (the users file of the config's [admin] section).",
        mixinStandardHelpOptions = true, subcommands = {UsersCommand.Add.class, UsersCommand.Passwd.class,
                UsersCommand.Remove.class, UsersCommand.List.class})
public final class UsersCommand implements Callable<Integer> {
    /** Where the command reads passwords and writes answers (the process's streams, or a test's). */
    public record Io(InputStream in, PrintStream out, PrintStream err, Console console) {}

    private static Io io = new Io(System.in, System.out, System.err, System.console());

    /** Sets the streams for the next command (the command line runs one command per process). */
    /** The streams of the command being run (shared by every subcommand of the command line). */
    static Io io() {
        return io;
    }

    public static void io(Io streams) {
        io = streams;
    }

    @Override
    public Integer call() {
        io.err().println("convey users: add, passwd, remove or list (see convey users --help)");
        return ExitCodes.BAD_CONFIG;
    }

    /** Options every users subcommand takes. */
    static class ConfigOption {
        @Option(names = "--config", paramLabel = "<file>", description = "Config file (default: ${DEFAULT-VALUE}).")
        Path config = Path.of("config.toml");

        UserStore store() throws UsageException {
            LoadResult loaded = ConfigLoader.load(config);
            if (!loaded.ok()) {
                loaded.errors().forEach(p -> io.err().println(p));
                throw new UsageException(config + ": not valid; the users file is named in its [admin] section");
            }
            return new UserStore(loaded.config().orElseThrow().admin().usersFile(config), Clock.systemUTC());
        }
    }

    /** A command that cannot run as asked. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Runs {@code action}, turning refusals into one clear line and exit code 2. */
    static int run(ThrowingAction action) {
        try {
            action.run();
            return ExitCodes.OK;
        } catch (AuthException e) {
            io.err().println("convey users: " + e.getMessage() + ": " + e.path() + ": " + e.detail());
            return ExitCodes.BAD_CONFIG;
        } catch (UsageException e) {
            io.err().println("convey users: " + e.getMessage());
            return ExitCodes.BAD_CONFIG;
        } catch (IOException e) {
            io.err().println("convey users: " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
            return ExitCodes.FAILURE;
        }
    }

    interface ThrowingAction {
        void run() throws IOException, AuthException, UsageException;
    }

    /** Reads a new password: one line of stdin, or twice from the console without echo. */
    static char[] newPassword(boolean fromStdin, String user) throws IOException, UsageException {
        if (fromStdin) {
            String line = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new UsageException("no password on standard input (expected: one line)");
            }
            return line.toCharArray();
        }
        Console console = io.console();
        if (console == null) {
            throw new UsageException("no console to ask for the password (expected: a terminal, or --password-stdin)");
        }
        char[] first = console.readPassword("New password for %s: ", user);
        char[] second = console.readPassword("Repeat the password: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new UsageException("the two passwords differ (expected: the same password twice)");
        }
        return first;
    }

    @Command(name = "add", description = "Add a user.", mixinStandardHelpOptions = true)
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Option(names = "--role", required = true, paramLabel = "<role>", description = "viewer, operator or admin.")
        String role;

        @Option(names = "--password-stdin", description = "Read the password from one line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            return run(() -> {
                Role parsed = Role.parse(role).orElseThrow(() -> new UsageException("--role: \"" + role
                        + "\" (expected one of: " + Role.choices() + ")"));
                UserStore store = config.store();
                store.add(name, parsed, newPassword(passwordStdin, name));
                io.out().println("user " + name + " added (" + parsed.id() + ") to " + store.file());
            });
        }
    }

    @Command(name = "passwd", description = "Set a user's password.", mixinStandardHelpOptions = true)
    static final class Passwd implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from one line of standard input.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            return run(() -> {
                UserStore store = config.store();
                if (store.find(name).isEmpty()) {
                    throw new UsageException("no user " + name + " in " + store.file());
                }
                store.setPassword(name, newPassword(passwordStdin, name));
                io.out().println("password of " + name + " changed in " + store.file());
            });
        }
    }

    @Command(name = "remove", description = "Remove a user (never the last admin).", mixinStandardHelpOptions = true)
    static final class Remove implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Override
        public Integer call() {
            return run(() -> {
                UserStore store = config.store();
                store.remove(name);
                io.out().println("user " + name + " removed from " + store.file());
            });
        }
    }

    @Command(name = "list", description = "List users and roles.", mixinStandardHelpOptions = true)
    static final class List implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption config = new ConfigOption();

        @Override
        public Integer call() {
            return run(() -> {
                for (UserStore.User user : config.store().list()) {
                    io.out().printf("%-24s %-9s %s%n", user.name(), user.roleOrViewer().id(), user.createdAt());
                }
            });
        }
    }
}
