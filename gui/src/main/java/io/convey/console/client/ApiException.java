package io.convey.console.client;

import java.util.List;

/** An error answer of the admin API: the HTTP status, its one-sentence error and the problems behind it. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final List<Api.Problem> problems;

    public ApiException(int status, String error, List<Api.Problem> problems) {
        super(error);
        this.status = status;
        this.problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<Api.Problem> problems() {
        return problems;
    }

    /** True for 412: the configuration changed since the version the request was based on. */
    public boolean conflict() {
        return status == 412;
    }

    /** The problems on one line (what the operator must fix), or the error when there are none. */
    public String brief() {
        return problems.isEmpty() ? describe()
                : String.join("; ", problems.stream().map(Api.Problem::describe).toList());
    }

    /** The error and its problems on one line each, as the console shows them. */
    public String describe() {
        StringBuilder text = new StringBuilder(getMessage() == null ? "HTTP " + status : getMessage());
        problems.forEach(p -> text.append('\n').append(p.describe()));
        return text.toString();
    }
}
