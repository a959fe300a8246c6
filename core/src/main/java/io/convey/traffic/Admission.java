package io.convey.traffic;

/** What a frontend's traffic control says about a new connection or flow. */
public enum Admission {
    ADMITTED,
    /** The client's address is denied, or not in the allow list. */
    REFUSED_BY_ACL,
    /** The client's source opened more connections than its rate limit and burst allow. */
    RATE_LIMITED
}
