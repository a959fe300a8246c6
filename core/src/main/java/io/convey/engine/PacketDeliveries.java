package io.convey.engine;

import io.convey.config.DsrMethod;
import io.convey.config.Mode;
import io.convey.packet.Delivery;

/** How a frontend's packets are delivered, from the mode and its pool's {@code dsr_method}: the packet wiring's map. */
public final class PacketDeliveries {
    private PacketDeliveries() {}

    /** NAT passthrough, or the pool's DSR method in DSR mode. */
    public static Delivery of(Mode mode, DsrMethod method) {
        return mode == Mode.DSR ? dsr(method) : Delivery.PASSTHROUGH;
    }

    /** The packet data plane's delivery for a DSR pool's method. */
    public static Delivery dsr(DsrMethod method) {
        return switch (method) {
            case NAT -> Delivery.DSR_NAT;
            case L2 -> Delivery.DSR_L2;
            case IPIP -> Delivery.DSR_IPIP;
        };
    }
}
