package io.convey.packet;

/** Passthrough over IPv6: both directions through the balancer. */
class PassthroughIpv6NamespaceTest extends Ipv6RoundTripTest {
    @Override
    Delivery delivery() {
        return Delivery.PASSTHROUGH;
    }
}
