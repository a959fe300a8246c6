package io.convey.packet;

import java.util.function.Consumer;

/**
 * One row of a forwarder table test (Katran's fixtures): an input frame, the verdict and output packet expected for
 * it, and what changes in the scheduler before it is processed.
 */
record TableStep(byte[] input, Verdict verdict, byte[] expected, Consumer<TestScheduler> before) {

    /** Expects the IP packet of {@code expected}, or no output if it is null. */
    static TableStep of(FrameBuilder input, Verdict verdict, FrameBuilder expected) {
        return new TableStep(input.frame(), verdict, expected == null ? null : expected.ipPacket(), s -> {});
    }

    /** Expects exactly these bytes (a whole frame, for DSR l2), or no output if null. */
    static TableStep bytes(FrameBuilder input, Verdict verdict, byte[] expected) {
        return new TableStep(input.frame(), verdict, expected, s -> {});
    }

    static TableStep raw(byte[] input, Verdict verdict) {
        return new TableStep(input, verdict, null, s -> {});
    }

    TableStep after(Consumer<TestScheduler> action) {
        return new TableStep(input, verdict, expected, action);
    }
}
