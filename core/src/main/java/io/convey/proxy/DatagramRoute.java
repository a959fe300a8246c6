package io.convey.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The server chosen for one UDP session.
 *
 * @param address       where the session's datagrams go; must be resolved
 * @param answerTimeout with counted responses, a request unanswered this long ends the session as a silent server
 * @param observer      counters and passive health of the session's server
 */
public record DatagramRoute(InetSocketAddress address, Duration answerTimeout, DatagramObserver observer) {
    public DatagramRoute {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(answerTimeout, "answerTimeout");
        Objects.requireNonNull(observer, "observer");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address: " + address + " (expected: resolved)");
        }
    }
}
