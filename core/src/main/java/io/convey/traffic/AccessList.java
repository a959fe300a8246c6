package io.convey.traffic;

import io.convey.net.Cidr;
import java.util.List;

/**
 * A frontend's allow and deny lists: deny wins; an empty allow list allows every address not denied (as NGINX's
 * {@code allow}/{@code deny} without a final {@code deny all}, and HAProxy's {@code tcp-request connection reject}).
 * Immutable.
 */
public record AccessList(PrefixSet allow, PrefixSet deny) {
    /** Allows everything. */
    public static final AccessList OPEN = new AccessList(PrefixSet.EMPTY, PrefixSet.EMPTY);

    public static AccessList of(List<Cidr> allow, List<Cidr> deny) {
        return allow.isEmpty() && deny.isEmpty() ? OPEN : new AccessList(PrefixSet.of(allow), PrefixSet.of(deny));
    }

    public boolean permitsV4(int address) {
        return !deny.containsV4(address) && (allow.isEmpty() || allow.containsV4(address));
    }

    public boolean permitsV6(long high, long low) {
        return !deny.containsV6(high, low) && (allow.isEmpty() || allow.containsV6(high, low));
    }

    public boolean isOpen() {
        return allow.isEmpty() && deny.isEmpty();
    }
}
