package io.convey.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convey.engine.EngineEvent;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maintenance, VRRP state changes (written by keepalived into the notify FIFO) and VIP announcements reach the
 * {@code [notify]} hooks, each with its fields, and a hook that lists events gets only those.
 */
class AnnounceEventsReachTheHooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The next notification of {@code event}, skipping others. */
    private static JsonNode next(Receiver receiver, String event) throws Exception {
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Receiver.Request r = receiver.next();
            if (event.equals(r.headers().get("x-convey-event"))) {
                return JSON.readTree(r.body());
            }
            skipped.add(r.headers().get("x-convey-event"));
        }
        throw new AssertionError("no " + event + " among " + skipped);
    }

    @Test
    void maintenanceVrrpStatesAndVipChangesAreNotified(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("vrrp.fifo");
        try (NamedServer server = new NamedServer("a"); Receiver all = new Receiver(); Receiver vipsOnly = new Receiver();
                RunningDaemon daemon = RunningDaemon.start(dir, """
                        [frontends.f]
                        listen_addr = "127.0.0.1:%d"
                        backend = "p"
                        [backends.p.servers.a]
                        addr = "%s"
                        [stats]
                        port = 0
                        [vrrp]
                        interface = "eth0"
                        virtual_router_id = 51
                        notify_fifo = "%s"
                        [notify.hooks.ops]
                        url = "%s"
                        [notify.hooks.routing]
                        url = "%s"
                        events = ["vip_announced", "vip_withdrawn"]
                        """.formatted(Tcp.freeLoopbackPort(), server.addr(), fifo, all.url(), vipsOnly.url()))) {
            var on = daemon.send("POST", "/api/v1/maintenance", daemon.token(), "{\"on\": true}", "Content-Type",
                    "application/json");
            assertThat(on.statusCode()).isEqualTo(200);
            JsonNode maintenance = next(all, "maintenance");
            assertThat(maintenance.get("on").asBoolean()).isTrue();
            assertThat(maintenance.get("by").asText()).contains("admin");

            // keepalived's vrrp_notify_fifo line for a state change
            Files.writeString(fifo, "INSTANCE \"convey_51\" MASTER 150\n", StandardCharsets.US_ASCII);
            JsonNode vrrp = next(all, "vrrp_state");
            assertThat(vrrp.get("instance").asText()).isEqualTo("convey_51");
            assertThat(vrrp.get("state").asText()).isEqualTo("MASTER");
            assertThat(vrrp.get("priority").asInt()).isEqualTo(150);

            // what the announce adapter publishes when it withdraws and announces a VIP (the labs drive it for real)
            var engine = daemon.daemon().engine();
            engine.publishAnnounce(new EngineEvent.AnnounceChanged(Instant.now(), "198.51.100.10", "withdrawn",
                    "maintenance"));
            engine.publishAnnounce(new EngineEvent.AnnounceChanged(Instant.now(), "198.51.100.10", "announced",
                    "eligible_server"));
            // one sender per hook, in order: maintenance and VRRP would have come first to the filtered hook
            assertThat(vipsOnly.next().headers().get("x-convey-event")).isEqualTo("vip_withdrawn");
            assertThat(vipsOnly.next().headers().get("x-convey-event")).isEqualTo("vip_announced");
            for (Receiver hook : List.of(all)) {
                JsonNode withdrawn = next(hook, "vip_withdrawn");
                assertThat(withdrawn.get("vip").asText()).isEqualTo("198.51.100.10");
                assertThat(withdrawn.get("state").asText()).isEqualTo("withdrawn");
                assertThat(withdrawn.get("reason").asText()).isEqualTo("maintenance");
                assertThat(next(hook, "vip_announced").get("reason").asText()).isEqualTo("eligible_server");
            }
            assertThat(vipsOnly.requests).as("the filtered hook got nothing but the VIP events").isEmpty();
        }
    }
}
