package io.convey.config;

import java.util.List;

/** Why an edit of the configuration was refused; nothing was changed (neither the running config nor the file). */
public final class ConfigEditException extends Exception {

    /** What kind of refusal, so that callers can answer in their own terms (HTTP status, exit code). */
    public enum Kind {
        /** The request itself is malformed (a value of the wrong type). */
        BAD_REQUEST,
        /** A named pool, server, frontend or version does not exist. */
        NOT_FOUND,
        /** A duplicate name, a pool still in use, an address that cannot be bound, a file changed meanwhile. */
        CONFLICT,
        /** The caller's version is not the running one. */
        STALE,
        /** The resulting configuration does not validate. */
        INVALID,
        /** The appliance could not carry the edit out (the file could not be written). */
        FAILED,
        /** The fleet's configuration store (etcd) cannot be reached: nothing was written, try again later. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final List<Problem> problems;

    public ConfigEditException(Kind kind, String message, List<Problem> problems) {
        super(message);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    /** One problem at a key path, e.g. {@code backends.web: not found (expected: an existing pool)}. */
    public static ConfigEditException of(Kind kind, String message, String path, String problem) {
        return new ConfigEditException(kind, message, List.of(Problem.error("", 0, path, problem)));
    }

    public Kind kind() {
        return kind;
    }

    public List<Problem> problems() {
        return problems;
    }
}
