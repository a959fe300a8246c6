package io.convey.announce;

import io.convey.announce.VipState.Announcement;
import io.convey.announce.VipState.Reason;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides each VIP's announcement from what the engine reports: announced while one of its frontends has an
 * eligible server and the appliance is not in maintenance; in maintenance drained (with a drain MED) or
 * withdrawn; withdrawn when no frontend on it has an eligible server. Pure.
 */
final class AnnouncePolicy {
    private AnnouncePolicy() {}

    /**
     * @param vips             each VIP with its frontends, as {@link Vips#of} gives
     * @param servingFrontends the frontends whose pool has at least one eligible server now
     * @param drainInsteadOfWithdraw whether maintenance keeps the VIPs announced with the drain MED
     */
    static List<VipState> decide(Map<InetAddress, List<String>> vips, Set<String> servingFrontends,
            boolean maintenance, boolean drainInsteadOfWithdraw) {
        List<VipState> out = new ArrayList<>();
        vips.forEach((vip, frontends) -> {
            boolean serving = frontends.stream().anyMatch(servingFrontends::contains);
            if (!serving) {
                out.add(new VipState(vip, frontends, Announcement.WITHDRAWN, Reason.NO_ELIGIBLE_SERVER));
            } else if (maintenance) {
                out.add(new VipState(vip, frontends, drainInsteadOfWithdraw ? Announcement.DRAINING
                        : Announcement.WITHDRAWN, Reason.MAINTENANCE));
            } else {
                out.add(new VipState(vip, frontends, Announcement.ANNOUNCED, Reason.ELIGIBLE_SERVER));
            }
        });
        return out;
    }
}
