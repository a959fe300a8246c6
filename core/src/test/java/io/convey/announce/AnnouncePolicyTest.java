package io.convey.announce;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.announce.VipState.Announcement;
import io.convey.announce.VipState.Reason;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnouncePolicyTest {
    private final Map<InetAddress, List<String>> vips = new LinkedHashMap<>();

    AnnouncePolicyTest() throws Exception {
        vips.put(InetAddress.getByName("198.51.100.10"), List.of("web", "tls"));
        vips.put(InetAddress.getByName("198.51.100.11"), List.of("api"));
    }

    @Test
    void aVipIsAnnouncedWhileOneOfItsFrontendsHasAnEligibleServer() {
        List<VipState> states = AnnouncePolicy.decide(vips, Set.of("tls"), false, false);
        assertThat(states).extracting(VipState::announcement).containsExactly(Announcement.ANNOUNCED, Announcement.WITHDRAWN);
        assertThat(states).extracting(VipState::reason).containsExactly(Reason.ELIGIBLE_SERVER, Reason.NO_ELIGIBLE_SERVER);
        assertThat(states.getFirst().frontends()).containsExactly("web", "tls");
    }

    @Test
    void maintenanceWithdrawsOrDrainsWhatWouldBeAnnounced() {
        assertThat(AnnouncePolicy.decide(vips, Set.of("web", "api"), true, false))
                .extracting(VipState::announcement, VipState::reason)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Announcement.WITHDRAWN, Reason.MAINTENANCE));
        assertThat(AnnouncePolicy.decide(vips, Set.of("web"), true, true))
                .extracting(VipState::announcement, VipState::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Announcement.DRAINING, Reason.MAINTENANCE),
                        org.assertj.core.groups.Tuple.tuple(Announcement.WITHDRAWN, Reason.NO_ELIGIBLE_SERVER));
    }
}
