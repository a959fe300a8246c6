package io.convey.packet;

/** Passthrough over IPv6, captured through libpcap (pcap4j): the portable path. */
class PassthroughIpv6OverPcapNamespaceTest extends PassthroughIpv6NamespaceTest {
    @Override
    PassthroughSettings.Capture capture() {
        return PassthroughSettings.Capture.PCAP;
    }
}
