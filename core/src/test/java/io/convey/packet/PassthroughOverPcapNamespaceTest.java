package io.convey.packet;

/** The same scenarios as {@link PassthroughNamespaceTest}, captured through libpcap (pcap4j): the portable path. */
class PassthroughOverPcapNamespaceTest extends PassthroughNamespaceTest {

    @Override
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.PCAP;
    }
}
