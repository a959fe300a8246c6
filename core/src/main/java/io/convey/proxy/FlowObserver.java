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
