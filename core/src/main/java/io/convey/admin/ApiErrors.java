package io.convey.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.convey.admin.auth.AuthException;
import io.convey.config.ConfigEditException;
import io.convey.config.Problem;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer has one shape: {@code {"error": "<one sentence>", "problems": [{"path", "message"}]}}.
 * Route handlers throw {@link ApiException} (or let a {@link ConfigEditException} through); this class maps
 * them, Javalin's own 404/405/413 and anything unexpected to that shape.
 */
final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    /** Request attribute holding the error sentence of an error answer (for the audit log). */
    static final String ERROR = "convey.error";

    private ApiErrors() {}

    /** One problem of a request: the key path it concerns and what was wrong, {@code "70000 (expected: 0-65535)"}. */
    record ApiProblem(String path, String message) {}

    /** An error answer with its status, thrown by route handlers. */
    static final class ApiException extends RuntimeException {
        private final int status;
        private final List<ApiProblem> problems;

        ApiException(int status, String error, List<ApiProblem> problems) {
            super(error);
            this.status = status;
            this.problems = List.copyOf(problems);
        }

        int status() {
            return status;
        }

        List<ApiProblem> problems() {
            return problems;
        }
    }

    static ApiException badRequest(String path, String message) {
        return new ApiException(400, "the request is malformed", List.of(new ApiProblem(path, message)));
    }

    static ApiException notFound(String error, String path, String message) {
        return new ApiException(404, error, List.of(new ApiProblem(path, message)));
    }

    static void install(JavalinConfig cfg) {
        cfg.routes.exception(ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.getMessage(), e.problems()));
        cfg.routes.exception(ConfigEditException.class, (e, ctx) -> answer(ctx, status(e.kind()), e.getMessage(),
                e.problems().stream().map(ApiErrors::problem).toList()));
        cfg.routes.exception(JsonProcessingException.class, (e, ctx) -> answer(ctx, 400, "the request body is not valid JSON",
                List.of(new ApiProblem("", "line " + location(e) + ": " + e.getOriginalMessage() + " (expected: JSON)"))));
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), e.getMessage(), List.of()));
        cfg.routes.exception(AuthException.class, (e, ctx) -> answer(ctx, switch (e.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 422;
        }, e.getMessage(), List.of(new ApiProblem(e.path(), e.detail()))));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.warn("admin request failed method={} path={}", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal error", List.of(new ApiProblem("", e.getClass().getSimpleName())));
        });
    }

    static int status(ConfigEditException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case STALE -> 412;
            case INVALID -> 422;
            case FAILED -> 500;
            case UNAVAILABLE -> 503;
        };
    }

    /** Every 4xx and 5xx answer: what went wrong, and where. */
    record ErrorBody(String error, List<ApiProblem> problems) {}

    static ApiProblem problem(Problem p) {
        return new ApiProblem(p.path(), p.message());
    }

    static void answer(Context ctx, int status, String error, List<ApiProblem> problems) {
        ctx.attribute(ERROR, error);
        ctx.status(status).json(new ErrorBody(error, problems));
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
    }
}
