package io.convey.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** A flow observer that counts every event, for asserting that counters balance. */
final class CountingObserver implements FlowObserver {
    final AtomicLong opened = new AtomicLong();
    final AtomicLong closed = new AtomicLong();
    final AtomicLong fromClient = new AtomicLong();
    final AtomicLong fromServer = new AtomicLong();

    @Override
    public void opened() {
        opened.incrementAndGet();
    }

    @Override
    public void bytesFromClient(long n) {
        fromClient.addAndGet(n);
    }

    @Override
    public void bytesFromServer(long n) {
        fromServer.addAndGet(n);
    }

    @Override
    public void closed() {
        closed.incrementAndGet();
    }

    boolean balanced() {
        return opened.get() == closed.get();
    }
}
