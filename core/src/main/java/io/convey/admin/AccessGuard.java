package io.convey.admin;

import io.convey.admin.ApiErrors.ApiException;
import io.convey.admin.ApiErrors.ApiProblem;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs before every request: reads pass, and so does the what-if preview of a pool's weights (a POST that changes
 * nothing, so that an operator without the token can still explore); writes (POST, PUT, PATCH, DELETE) pass from
 * trusted addresses
 * (loopback in production) and from elsewhere only with {@code Authorization: Bearer <token>} equal to the
 * content of {@code [admin] token_file}, compared in constant time. Also refuses oversized bodies early,
 * from their Content-Length. The token file is read on each remote write, so a new token needs no restart.
 */
final class AccessGuard implements Handler {
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final Pattern PREVIEW = Pattern.compile("/api/v1/backends/[^/]+/preview");

    private final Predicate<InetAddress> trusted;
    private final Supplier<Optional<Path>> tokenFile;

    /**
     * @param trusted   addresses whose writes need no token ({@link InetAddress#isLoopbackAddress} in production)
     * @param tokenFile the configured token file now, if any
     */
    AccessGuard(Predicate<InetAddress> trusted, Supplier<Optional<Path>> tokenFile) {
        this.trusted = trusted;
        this.tokenFile = tokenFile;
    }

    @Override
    public void handle(Context ctx) {
        if (READS.contains(ctx.method())) {
            return;
        }
        if (ctx.contentLength() > Requests.MAX_BODY_BYTES) {
            throw Requests.tooLarge();
        }
        if (ctx.method() == HandlerType.POST && PREVIEW.matcher(ctx.path()).matches() || trusted.test(remote(ctx))) {
            return;
        }
        Optional<byte[]> token = token();
        if (token.isEmpty()) {
            throw new ApiException(403, "remote writes are disabled", List.of(new ApiProblem("admin.token_file",
                    "not configured (expected: a file holding a secret token, named by token_file in [admin]; clients"
                            + " then send Authorization: Bearer <token>)")));
        }
        String header = ctx.header("Authorization");
        byte[] presented = header != null && header.startsWith("Bearer ")
                ? header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(presented, token.get())) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "a valid bearer token is required for remote writes", List.of(
                    new ApiProblem("Authorization", (header == null ? "missing" : "wrong token")
                            + " (expected: Bearer <the content of [admin] token_file>)")));
        }
    }

    private Optional<byte[]> token() {
        Optional<Path> file = tokenFile.get();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(403, "remote writes are disabled", List.of(new ApiProblem("admin.token_file",
                    "\"" + file.get() + "\" cannot be read (" + e.getClass().getSimpleName() + ") (expected: a readable file)")));
        }
    }

    private static InetAddress remote(Context ctx) {
        String address = ctx.req().getRemoteAddr();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        return InetAddress.ofLiteral(address); // a literal from the socket: never a DNS lookup
    }
}
