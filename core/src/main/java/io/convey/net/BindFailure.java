package io.convey.net;

import java.net.SocketException;
import java.util.Locale;

/**
 * Why a listener could not be bound, as one lower-case phrase ({@code address already in use}) for messages that
 * must not carry Java exception names: the message of the innermost socket exception in the chain, which both
 * the JDK and the proxy's epoll transport fill with the operating system's text for the error.
 */
public final class BindFailure {
    private BindFailure() {}

    public static String reason(Throwable failure) {
        String reason = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException && t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        if (reason == null) {
            return "cannot bind";
        }
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }
}
