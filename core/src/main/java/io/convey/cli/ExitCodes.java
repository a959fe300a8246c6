package io.convey.cli;

/** The process exit codes of every {@code convey} command (listed in its --help). */
public final class ExitCodes {
    /** Stopped cleanly, or the command did what was asked. */
    public static final int OK = 0;
    /** A runtime failure. */
    public static final int FAILURE = 1;
    /** A bad command line or a configuration that does not validate (the original exited 0). */
    public static final int BAD_CONFIG = 2;

    private ExitCodes() {}
}
