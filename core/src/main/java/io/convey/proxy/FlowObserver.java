package io.convey.proxy;

/**
 * Observes the life of one flow for counters.
 *
 * <p>Called on Netty event loops, so implementations must not block (the engine uses {@code LongAdder}s).
 * The proxy calls {@link #closed()} exactly once for every {@link #opened()}.
 */
public interface FlowObserver {

    void opened();

    /** Bytes read from the client, reported as they flow (once per read loop) rather than at close. */
    void bytesFromClient(long n);

    /** Bytes read from the server, reported as they flow (once per read loop) rather than at close. */
    void bytesFromServer(long n);

    void closed();

    /** The connect to this observer's server succeeded after {@code nanos}; called before {@link #opened()}. */
    default void connectDone(long nanos) {}

    /**
     * A connect attempt to this observer's server failed ({@code timedOut}: no answer within the pool's connect
     * timeout). No {@link #opened()} follows.
     */
    default void connectFailed(boolean timedOut) {}

    /** After this observer's server failed to connect, the connection was offered to another server. */
    default void retried() {}

    /**
     * The attempt to this observer's server is over: its channel closed (connect failed, client gone, or the flow
     * ended), or it never opened. Called exactly once per server the router handed out, so the router can give the
     * server's connection slot back.
     */
    default void attemptEnded() {}

    /** The server side of an established flow failed with an I/O error (a reset), not an orderly close. */
    default void serverReset() {}

    /**
     * On the frontend observer, before {@link #closed()}: the connection waited {@code nanos} in its pool's queue
     * (whether it was served then or timed out). Not called for connections that never waited.
     */
    default void queued(long nanos) {}

    /**
     * On the frontend observer, before {@link #closed()}: the connection was closed without a server (its preamble
     * was refused, or its pool admitted it nowhere), and why.
     */
    default void refused(Refusal reason) {}

    /** An observer that ignores every event. */
    FlowObserver NONE = new FlowObserver() {
        @Override
        public void opened() {}

        @Override
        public void bytesFromClient(long n) {}

        @Override
        public void bytesFromServer(long n) {}

        @Override
        public void closed() {}
    };
}
