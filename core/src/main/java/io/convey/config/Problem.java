package io.convey.config;

/**
 * One configuration problem, located by file, line and dotted key path; printed as
 * {@code config.toml:14: backends.web.servers.a.addr: "10.0.0.1" (expected: ip:port)}.
 *
 * @param line 1-based, or 0 when the problem has no single place in the file
 * @param warning true for a problem that does not prevent loading (an unknown key)
 */
public record Problem(String file, int line, String path, String message, boolean warning) {

    public static Problem error(String file, int line, String path, String message) {
        return new Problem(file, line, path, message, false);
    }

    /** A problem that does not stop the config from loading. */
    public static Problem warning(String file, int line, String path, String message) {
        return new Problem(file, line, path, message, true);
    }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line : file;
        String prefix = warning ? "warning: " : "";
        return path.isEmpty() ? where + ": " + prefix + message : where + ": " + prefix + path + ": " + message;
    }
}
