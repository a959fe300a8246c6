package io.convey.packet;

/** Resolves server addresses to MAC addresses for DSR l2. Called on the data-plane thread: must not block. */
interface Neighbours {
    /** The answer for an address whose MAC is not known. */
    long UNKNOWN = -1;

    /** Resolves nothing: for data planes without DSR l2 frontends. */
    Neighbours NONE = ip -> UNKNOWN;

    /** Returns the MAC address (48 bits, big-endian in a long) of an IPv4 address, or {@link #UNKNOWN}. */
    long mac(int ip);

    /**
     * Returns the MAC address of an address the kernel has resolved already, or {@link #UNKNOWN}, without asking
     * for it to be resolved: addresses behind a router never are, and need not be.
     */
    default long knownMac(int ip) {
        return UNKNOWN;
    }
}
