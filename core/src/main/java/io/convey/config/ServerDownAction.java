package io.convey.config;

/**
 * What the packet modes do with a pool's established flows when their server goes down ({@code on_server_down}).
 * New flows avoid a down server either way; the proxy always lets established connections run on.
 */
public enum ServerDownAction implements ConfigWord {
    /** Reset them (a RST to the client's port, from VIP:port): the client learns at once, as in the original. */
    RESET,
    /**
     * Keep forwarding them to the server until they end or idle out, as HAProxy does by default and IPVS with
     * {@code expire_nodest_conn = 0}: for a check that failed while the service still answers its connections.
     */
    KEEP
}
