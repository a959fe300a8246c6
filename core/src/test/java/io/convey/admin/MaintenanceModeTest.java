package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance mode through the API: it shows in status, metrics, events and the health answer keepalived asks. */
class MaintenanceModeTest {

    @Test
    void maintenanceIsSetThroughTheApiAndSeenEverywhere(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            assertThat(api.get("/health").statusCode()).isEqualTo(200);
            assertThat(Api.json(api.get("/api/v1/status")).at("/announce/maintenance").asBoolean()).isFalse();

            var on = api.send("POST", "/api/v1/maintenance", "{\"on\": true}", "Content-Type", "application/json");
            assertThat(on.statusCode()).isEqualTo(200);
            assertThat(Api.json(on).get("maintenance").asBoolean()).isTrue();
            assertThat(api.get("/health").statusCode()).isEqualTo(503);
            assertThat(Api.json(api.get("/api/v1/status")).at("/announce/maintenance").asBoolean()).isTrue();
            assertThat(api.get("/metrics").body()).contains("convey_maintenance 1");
            JsonNode events = Api.json(api.get("/api/v1/events/recent?seconds=60")).get("events");
            assertThat(events.findValuesAsText("type")).contains("maintenance");

            assertThat(api.send("POST", "/api/v1/maintenance", "{\"on\": false}", "Content-Type", "application/json")
                    .statusCode()).isEqualTo(200);
            assertThat(api.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBadBodyIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        try (NamedServer a = new NamedServer("a");
                RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", "a", a.addr()))) {
            Api api = new Api(daemon);
            var wrongType = api.send("POST", "/api/v1/maintenance", "{\"on\": \"yes\"}", "Content-Type", "application/json");
            assertThat(wrongType.statusCode()).isEqualTo(400);
            assertThat(wrongType.body()).contains("\\\"yes\\\" (expected: true or false)");
            assertThat(api.send("POST", "/api/v1/maintenance", "{\"of\": true}", "Content-Type", "application/json")
                    .statusCode()).isEqualTo(400);
            assertThat(daemon.daemon().engine().maintenance()).isFalse();
        }
    }
}
