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

    /** The frontend closed the connection before choosing a server (frontend observers only). */
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
