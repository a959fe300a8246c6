package io.convey.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.console.client.Api;
import io.convey.console.client.AdminClientJson;
import org.junit.jupiter.api.Test;

/** The overview's data-plane line, from status documents as a proxy and a passthrough appliance send them. */
class DataPlaneTextTest {

    @Test
    void aProxyShowsItsTransport() throws Exception {
        Api.Status status = AdminClientJson.status("""
                {"mode": "proxy", "data_plane": {"transport": "epoll", "active_connections": 3}}""");
        assertThat(DataPlaneText.describe(status.dataPlane())).isEqualTo("epoll transport, 3 connections now");
        assertThat(DataPlaneText.losing(status.dataPlane())).isFalse();
    }

    @Test
    void aPacketDataPlaneShowsCaptureFlowsDropsWithLossesAndWorkers() throws Exception {
        Api.Status status = AdminClientJson.status("""
                {"mode": "passthrough", "data_plane": {"packet": {"interface": "eth1", "capture": "ring",
                 "active_flows": 42, "sent_as_frames": 9000, "sent_routed": 12, "resets_sent": 3,
                 "dropped": {"no_flow": 5, "capture_overflow": 17, "malformed": 0},
                 "workers": [{"active_flows": 30, "connections_opened": 300, "packets_to_servers": 1,
                              "packets_to_clients": 1},
                             {"active_flows": 12, "connections_opened": 120, "packets_to_servers": 1,
                              "packets_to_clients": 1}]}}}""");
        assertThat(DataPlaneText.describe(status.dataPlane())).isEqualTo("""
                ring capture on eth1: 42 flows, 9000 sent as frames, 12 routed, 3 resets
                dropped: capture_overflow 17 (lost), no_flow 5
                workers: 30 flows / 300 connections, 12 flows / 120 connections""");
        assertThat(DataPlaneText.losing(status.dataPlane())).isTrue();
    }

    @Test
    void aPacketDataPlaneWithoutCaptureYetSaysSo() throws Exception {
        Api.Status status = AdminClientJson.status("""
                {"mode": "dsr", "data_plane": {"packet": {"interface": "none"}}}""");
        assertThat(DataPlaneText.describe(status.dataPlane())).isEqualTo("no frontend captured yet");
    }
}
