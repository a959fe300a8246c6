package io.convey.packet;

/**
 * {@link PassthroughWithChecksumOffloadNamespaceTest} through libpcap, which does not mark partial checksums: they
 * are recognised by their value (the folded pseudo-header sum) and completed.
 */
class PassthroughOverPcapWithChecksumOffloadNamespaceTest extends PassthroughWithChecksumOffloadNamespaceTest {

    @Override
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.PCAP;
    }
}
