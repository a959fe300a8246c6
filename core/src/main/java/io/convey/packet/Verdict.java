package io.convey.packet;

/** What to do with a frame after it has been processed. */
public enum Verdict {
    /** Send the rewritten packet to the flow's server. */
    FORWARD_TO_SERVER,
    /** Send the rewritten Ethernet frame as it is (DSR l2: it is already addressed to the server's MAC). */
    FORWARD_FRAME_TO_SERVER,
    /** Send the rewritten packet to the flow's client. */
    FORWARD_TO_CLIENT,
    /** Send the reset that replaced the packet to the client. */
    RST_TO_CLIENT,
    DROP_NO_FLOW,
    DROP_BAD_CHECKSUM,
    DROP_MALFORMED,
    DROP_NOT_TCP,
    DROP_FRAGMENT,
    DROP_TTL_EXCEEDED,
    DROP_TABLE_FULL,
    DROP_NO_NEIGHBOUR,
    DROP_TOO_BIG,
    DROP_REFUSED_BY_ACL,
    DROP_RATE_LIMITED;

    /** Returns the drop verdict for a reason. */
    static Verdict drop(DropReason reason) {
        return switch (reason) {
            case NO_FLOW -> DROP_NO_FLOW;
            case BAD_CHECKSUM -> DROP_BAD_CHECKSUM;
            case MALFORMED -> DROP_MALFORMED;
            case NOT_TCP -> DROP_NOT_TCP;
            case FRAGMENT -> DROP_FRAGMENT;
            case TTL_EXCEEDED -> DROP_TTL_EXCEEDED;
            case TABLE_FULL -> DROP_TABLE_FULL;
            case NO_NEIGHBOUR -> DROP_NO_NEIGHBOUR;
            case TOO_BIG -> DROP_TOO_BIG;
            case REFUSED_BY_ACL -> DROP_REFUSED_BY_ACL;
            case RATE_LIMITED -> DROP_RATE_LIMITED;
            case SEND_FAILED, CAPTURE_OVERFLOW ->
                    throw new IllegalArgumentException("reason: " + reason + " (expected: a parse or flow reason)");
        };
    }

    /** Returns true if a packet has to be sent. */
    public boolean sends() {
        return this == FORWARD_TO_SERVER || this == FORWARD_FRAME_TO_SERVER || this == FORWARD_TO_CLIENT
                || this == RST_TO_CLIENT;
    }
}
