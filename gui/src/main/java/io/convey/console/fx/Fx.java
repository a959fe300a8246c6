package io.convey.console.fx;

import io.convey.console.client.ApiException;
import io.convey.console.client.UntrustedCertificateException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javafx.application.Platform;

/** Hands results of background work to the FX thread, and words failures the way the console shows them. */
public final class Fx {
    private Fx() {
    }

    /** Runs {@code ok} or {@code failed} on the FX thread once {@code work} completes. */
    public static <T> void then(CompletableFuture<T> work, Consumer<T> ok, Consumer<Throwable> failed) {
        work.whenComplete((value, error) -> Platform.runLater(() -> {
            if (error == null) {
                ok.accept(value);
            } else {
                failed.accept(unwrap(error));
            }
        }));
    }

    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** One line: the problems of an API error, or what went wrong on the way. */
    public static String brief(Throwable error) {
        return unwrap(error) instanceof ApiException api ? api.brief() : describe(error).replace('\n', ' ');
    }

    /** One line (or a few, for config problems) an operator can act on. */
    public static String describe(Throwable error) {
        Throwable e = unwrap(error);
        var untrusted = UntrustedCertificateException.in(e);
        if (untrusted.isPresent()) {
            return untrusted.get().getMessage();
        }
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return "TLS failed: " + tls.getMessage();
            }
        }
        return switch (e) {
            case ApiException api when api.status() == 401 ->
                    "the appliance refused the console's credential (" + api.getMessage() + "): log in again";
            case ApiException api -> api.describe();
            case HttpConnectTimeoutException t -> "no connection within 3 s";
            case HttpTimeoutException t -> "no answer within 10 s";
            case ConnectException c -> "cannot connect (connection refused or unreachable)";
            case UnresolvedAddressException u -> "unknown host";
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }
}
