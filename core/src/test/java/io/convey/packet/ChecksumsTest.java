package io.convey.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    @Test
    void incrementalUpdateMatchesFullRecomputation() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] data = new byte[40];
            random.nextBytes(data);
            int checksum = ~Checksums.fold(Checksums.sum(data, 0, data.length, 0)) & 0xFFFF;
            int oldWord = TcpFrame.readU16(data, 6);
            int newWord = random.nextInt(0x10000);
            TcpFrame.writeU16(data, 6, newWord);
            int updated = Checksums.update16(checksum, oldWord, newWord);
            // Both the updated sum and a fresh one must verify; they may differ only as +0/-0.
            long verify = Checksums.sum(data, 0, data.length, updated);
            assertThat(Checksums.fold(verify)).isEqualTo(0xFFFF);
        }
    }

    @Test
    void rfc1624ExampleGivesMinusZeroSafeResult() {
        // RFC 1624 section 4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000.
        assertThat(Checksums.update16(0xDD2F, 0x5555, 0x3285)).isEqualTo(0x0000);
    }

    @Test
    void validatorsAcceptBuiltFramesAndRejectCorruptedOnes() {
        byte[] good = FrameBuilder.tcp("192.168.1.5", 40000, "10.0.0.10", 80).payload("hello").frame();
        byte[] bad = FrameBuilder.tcp("192.168.1.5", 40000, "10.0.0.10", 80).payload("hello").badTcpChecksum().frame();
        int src = FrameBuilder.ip("192.168.1.5");
        int dst = FrameBuilder.ip("10.0.0.10");
        assertThat(Checksums.ipv4HeaderValid(good, 14, 20)).isTrue();
        assertThat(Checksums.tcpValid(good, src, dst, 34, 25)).isTrue();
        assertThat(Checksums.tcpValid(bad, src, dst, 34, 25)).isFalse();
    }

    @Test
    void aChecksumLeftToOffloadIsCompletedForBothFamilies() {
        TcpFrame p = new TcpFrame();
        for (byte[] frame : new byte[][] {
                FrameBuilder.tcp("192.168.1.5", 40000, "10.0.0.10", 80).payload("hello").badTcpChecksum().frame(),
                FrameBuilder.tcp6("fd00::5", 40000, "fd00::10", 80).payload("hello").badTcpChecksum().frame()}) {
            assertThat(p.parse(frame, frame.length, true)).isEqualTo(DropReason.BAD_CHECKSUM);
            Checksums.completeTcp(frame, frame.length);
            assertThat(p.parse(frame, frame.length, true)).isNull();
        }
        byte[] truncated = FrameBuilder.tcp("192.168.1.5", 40000, "10.0.0.10", 80).payload("hello").frame();
        byte[] before = truncated.clone();
        Checksums.completeTcp(truncated, truncated.length - 10); // total length beyond the frame: left alone
        assertThat(truncated).isEqualTo(before);
    }

    @Test
    void aPartialChecksumIsRecognisedByItsValueAndAFullOneIsKept() {
        TcpFrame p = new TcpFrame();
        for (byte[] frame : new byte[][] {
                FrameBuilder.tcp("192.168.1.5", 40000, "10.0.0.10", 80).payload("hello").frame(),
                FrameBuilder.tcp6("fd00::5", 40000, "fd00::10", 80).payload("hello").frame()}) {
            byte[] complete = frame.clone();
            Checksums.completeTcpIfPartial(frame, frame.length);
            assertThat(frame).as("a full checksum stays").isEqualTo(complete);

            // what Linux leaves for offload: the folded pseudo-header sum in the field
            boolean v6 = frame[12] == (byte) 0x86;
            int tcp = v6 ? 54 : 34;
            int tcpLength = frame.length - tcp;
            long pseudo = v6 ? Checksums.sum(frame, 22, 32, 6 + tcpLength)
                    : Checksums.sum(frame, 26, 8, 6 + tcpLength);
            TcpFrame.writeU16(frame, tcp + 16, Checksums.fold(pseudo));
            assertThat(p.parse(frame, frame.length, true)).isEqualTo(DropReason.BAD_CHECKSUM);
            Checksums.completeTcpIfPartial(frame, frame.length);
            assertThat(frame).isEqualTo(complete);

            TcpFrame.writeU16(frame, tcp + 16, 0x1234); // corrupt, not partial: left for the receiver to reject
            Checksums.completeTcpIfPartial(frame, frame.length);
            assertThat(p.parse(frame, frame.length, true)).isEqualTo(DropReason.BAD_CHECKSUM);
        }
    }
}
