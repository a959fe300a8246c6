package io.convey.announce;

import java.net.InetAddress;
import java.util.List;

/**
 * Whether a VIP is announced now and why.
 *
 * @param frontends the frontends listening on it
 */
public record VipState(InetAddress vip, List<String> frontends, Announcement announcement, Reason reason) {

    /** What the routers are told about a VIP. */
    public enum Announcement {
        /** Announced normally. */
        ANNOUNCED,
        /** Announced with the drain MED: routers prefer the other appliances. */
        DRAINING,
        /** Not announced. */
        WITHDRAWN;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a VIP is in its state. */
    public enum Reason {
        ELIGIBLE_SERVER("a frontend on it has an eligible server"),
        NO_ELIGIBLE_SERVER("no frontend on it has an eligible server"),
        MAINTENANCE("the appliance is in maintenance"),
        STOPPING("the daemon is stopping"),
        NOT_HELD("the VIP device could not be set up");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public String text() {
            return text;
        }
    }

    public VipState {
        frontends = List.copyOf(frontends);
    }
}
