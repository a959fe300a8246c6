package io.convey.admin.auth;

/**
 * A refused user or token operation, with the HTTP-like status the admin API answers: 404 unknown user,
 * 409 conflict (an existing name, the last admin), 422 invalid value. {@code path} names the field.
 */
public final class AuthException extends Exception {
    /** Why an operation was refused. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }

    private final Kind kind;
    private final String path;
    private final String detail;

    public AuthException(Kind kind, String error, String path, String detail) {
        super(error);
        this.kind = kind;
        this.path = path;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    /** The field concerned, e.g. {@code name} or {@code password}. */
    public String path() {
        return path;
    }

    /** {@code "value (expected: ...)"}. */
    public String detail() {
        return detail;
    }
}
