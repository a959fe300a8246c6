package io.convey.console;

import java.util.List;
import java.util.Optional;

/**
 * The console's command line: {@code [--appliance URL]} ({@code --appliance=URL} too) opens that appliance at start;
 * {@code -h}/{@code --help} prints the usage.
 */
record ConsoleOptions(Optional<String> appliance, boolean help) {
    static final String USAGE = """
            usage: convey-console [--appliance URL]
              --appliance URL   open the appliance at URL (https://host:port or host:port) at start; one the console
                                does not know yet is filled into the add form for a login
              -h, --help        this text""";

    /** Parses the arguments; a problem is an {@link IllegalArgumentException} whose message is one line for the user. */
    static ConsoleOptions parse(List<String> args) {
        Optional<String> appliance = Optional.empty();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
            } else if (arg.equals("--appliance")) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                    throw new IllegalArgumentException("--appliance: missing URL (expected: --appliance https://host:port)");
                }
                appliance = Optional.of(args.get(++i));
            } else if (arg.startsWith("--appliance=")) {
                appliance = Optional.of(arg.substring("--appliance=".length()));
            } else {
                throw new IllegalArgumentException(arg + ": unknown argument (expected: --appliance URL or --help)");
            }
        }
        return new ConsoleOptions(appliance, help);
    }
}
