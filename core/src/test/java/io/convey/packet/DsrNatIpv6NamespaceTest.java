package io.convey.packet;

/** DSR nat over IPv6: servers listen on 8080 and rewrite their replies to VIP:80 with nft's ip6 family. */
class DsrNatIpv6NamespaceTest extends Ipv6RoundTripTest {
    @Override
    Delivery delivery() {
        return Delivery.DSR_NAT;
    }
}
