package io.convey.console.fx;

import io.convey.console.client.Api;

/** The UDP counters of a frontend, pool or server as one line of text. */
public final class UdpText {
    private UdpText() {
    }

    /** "2 sessions now, 40 total, 1 dropped; datagrams tx 80 / rx 80, bytes tx 4.1 KB / rx 9.0 KB", or empty for TCP. */
    public static String frontend(Api.UdpCounters udp) {
        if (udp == null) {
            return "";
        }
        String dropped = udp.sessionsDropped() > 0 ? ", " + udp.sessionsDropped() + " dropped" : "";
        return udp.sessionsCurrent() + " sessions now, " + udp.sessionsTotal() + " total" + dropped + "; "
                + "datagrams tx " + udp.datagramsTx() + " / rx " + udp.datagramsRx() + ", bytes tx "
                + Format.bytes(udp.bytesTx()) + " / rx " + Format.bytes(udp.bytesRx());
    }

    /** A server's UDP datagrams "tx / rx" (client to server first, as docs/api.md orders directions), or empty for TCP. */
    public static String datagrams(Api.UdpCounters udp) {
        return udp == null ? "" : udp.datagramsTx() + " / " + udp.datagramsRx();
    }
}
