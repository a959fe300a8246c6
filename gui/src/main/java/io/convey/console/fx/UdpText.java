package io.convey.console.fx;

import io.convey.console.client.Api;

/** The UDP counters of a frontend, pool or server as one line of text. */
public final class UdpText {
    private UdpText() {
    }

    /** "2 sessions now, 40 total, 1 dropped; 80 / 80 datagrams, 4.1 KB / 9.0 KB", or empty for TCP. */
    public static String frontend(Api.UdpCounters udp) {
        if (udp == null) {
            return "";
        }
        String dropped = udp.sessionsDropped() > 0 ? ", " + udp.sessionsDropped() + " dropped" : "";
        return udp.sessionsCurrent() + " sessions now, " + udp.sessionsTotal() + " total" + dropped + "; "
                + udp.datagramsTx() + " / " + udp.datagramsRx() + " datagrams, " + Format.bytes(udp.bytesTx()) + " / "
                + Format.bytes(udp.bytesRx());
    }

    /** A server's UDP datagrams "tx / rx" (client to server first, as docs/api.md orders directions), or empty for TCP. */
    public static String datagrams(Api.UdpCounters udp) {
        return udp == null ? "" : udp.datagramsTx() + " / " + udp.datagramsRx();
    }
}
