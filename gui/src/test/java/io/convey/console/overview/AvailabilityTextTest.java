package io.convey.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.AdminClientJson;
import io.convey.console.client.Api;
import org.junit.jupiter.api.Test;

/** The overview's availability lines, from the announce sections appliances send (as docs/api.md describes them). */
class AvailabilityTextTest {

    @Test
    void aBgpApplianceInMaintenanceShowsItsWithdrawnVipAndItsSessions() throws Exception {
        Api.Announce a = AdminClientJson.status("""
                {"mode": "dsr", "announce": {"maintenance": true, "method": "bgp",
                 "vips": [{"vip": "10.0.0.100", "frontends": ["web"], "state": "withdrawn", "reason": "maintenance",
                           "reason_text": "maintenance"},
                          {"vip": "10.0.0.101", "frontends": ["api"], "state": "announced", "reason": "eligible_server",
                           "reason_text": "an eligible server"}],
                 "bgp": {"state": "up", "sessions": [{"name": "router", "protocol": "BGP", "state": "up",
                          "since": "12:00:01", "info": "Established"}], "read_at": "2026-01-01T00:00:00Z"}}}""")
                .announce();
        assertThat(a.maintenance()).isTrue();
        assertThat(AvailabilityViewModel.vipText(a))
                .isEqualTo("10.0.0.100 WITHDRAWN (maintenance)\n10.0.0.101 ANNOUNCED (an eligible server)");
        assertThat(AvailabilityViewModel.bgpText(a)).isEqualTo("router up (Established)");
        assertThat(AvailabilityViewModel.vrrpText(a)).isEqualTo("not configured");
    }

    @Test
    void anApplianceWithoutBgpOrVrrpSaysSo() throws Exception {
        Api.Announce a = AdminClientJson.status("""
                {"mode": "proxy", "announce": {"maintenance": false}}""").announce();
        assertThat(AvailabilityViewModel.vipText(a)).isEqualTo("not announced (no [bgp] or [vrrp])");
        assertThat(AvailabilityViewModel.vrrpText(a)).isEqualTo("not configured");
        assertThat(AvailabilityViewModel.bgpText(a)).isEqualTo("not configured");
    }
}
