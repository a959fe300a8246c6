package io.convey.packet;

/** DSR nat: servers listen on 8080, the VIP on 80; their nft rule rewrites the reply's address and port. */
class DsrNatNamespaceTest extends DsrRoundTripTest {
    @Override
    Delivery method() {
        return Delivery.DSR_NAT;
    }

    @Override
    int serverPort() {
        return 8080;
    }
}
