package io.convey.console.appliances;

import io.convey.console.client.AdminClient;
import io.convey.console.client.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Logs the console in to an appliance the way an operator does: with user and password (the appliance answers with a
 * new API token named {@code console@<this host>}) or with a token they paste; the token is checked with
 * {@code GET /api/v1/session} and only then kept in the {@link TokenStore}.
 */
public final class Login {
    private Login() {
    }

    /** Completes with the session the token opens; fails with the appliance's answer (or the TLS failure). */
    public static CompletableFuture<Api.Session> logIn(Appliance appliance, Credentials credentials, TokenStore tokens) {
        AtomicReference<String> token = new AtomicReference<>(credentials.token());
        AtomicReference<Api.Login> issued = new AtomicReference<>();
        AdminClient client = new AdminClient(appliance.url(), appliance.trust(), () -> Optional.ofNullable(token.get()));
        CompletableFuture<?> credential = credentials.hasPassword()
                ? CompletableFuture.supplyAsync(Login::tokenName).thenCompose(name ->
                        client.login(credentials.user(), credentials.password(), name)).thenAccept(login -> {
                            issued.set(login);
                            token.set(login.token());
                        })
                : CompletableFuture.completedFuture(null);
        return credential.thenCompose(done -> client.session()).thenApply(session -> {
            Api.Login login = issued.get();
            try {
                tokens.put(appliance.url(), session.user(), login == null ? null : login.id(),
                        login == null ? session.tokenName() : login.name(), token.get());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save " + tokens.file() + " (" + e.getMessage() + ")", e);
            }
            return session;
        });
    }

    /** {@code console@<host name>}, so that the appliance's token list says where each console token lives. */
    static String tokenName() {
        try {
            return "console@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "console@" + Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
