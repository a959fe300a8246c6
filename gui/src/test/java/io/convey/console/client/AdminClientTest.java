package io.convey.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.console.testing.LiveAppliance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminClientTest {

    @Test
    void readsTheApplianceAndFollowsItsEventStream(@TempDir Path dir) throws Exception {
        try (LiveAppliance appliance = LiveAppliance.start(dir)) {
            AdminClient client = new AdminClient(appliance.adminUrl(), Optional.empty());
            Api.Status status = client.status().get();
            assertThat(status.mode()).isEqualTo("proxy");
            assertThat(status.configVersion()).isEqualTo(1);
            List<Api.Pool> pools = client.pools().get();
            assertThat(pools).singleElement().extracting(Api.Pool::name).isEqualTo("web_pool");
            assertThat(client.configToml().get().value()).isEqualTo(appliance.initialText());
            assertThat(client.configToml().get().version()).isEqualTo(1);

            List<ApplianceEvent> events = new CopyOnWriteArrayList<>();
            EventStream stream = client.events(events::add, up -> { });
            try (stream) {
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(ApplianceEvent.Stats.class::isInstance));
                client.updateServer("web_pool", "a", java.util.Map.of("weight", 2)).get();
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                        .anyMatch(e -> e instanceof ApplianceEvent.ConfigApplied c && c.configVersion() == 2));
            }
            assertThat(client.history().get()).hasSize(2);
            assertThat(client.series(60).get().scopes()).containsKey("appliance");
        }
    }
}
