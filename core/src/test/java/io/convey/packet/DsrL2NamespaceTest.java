package io.convey.packet;

/** DSR l2: servers hold the VIP on loopback and listen on its port; only the destination MAC changes. */
class DsrL2NamespaceTest extends DsrRoundTripTest {
    @Override
    Delivery method() {
        return Delivery.DSR_L2;
    }

    @Override
    int serverPort() {
        return PacketLab.VIP_PORT;
    }
}
