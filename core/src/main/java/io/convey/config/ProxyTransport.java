package io.convey.config;

/** The proxy's Netty transport: {@code [proxy] transport}. */
public enum ProxyTransport implements ConfigWord {
    /** Epoll where it loads, else NIO: io_uring measured no faster (docs/benchmarks.md). */
    AUTO,
    /** Linux io_uring (kernel 5.x and later, not disabled by {@code kernel.io_uring_disabled}); start fails without it. */
    IO_URING,
    /** Linux native epoll; start fails where it does not load. */
    EPOLL,
    /** The JDK's selector: portable, slower. */
    NIO
}
