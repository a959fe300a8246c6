package io.convey.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.convey.console.testing.LiveAppliance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminClientTest {

    @Test
    void readsTheApplianceAndFollowsItsEventStream(@TempDir Path dir) throws Exception {
        try (LiveAppliance appliance = LiveAppliance.start(dir)) {
            AdminClient client = appliance.client();
            Api.Status status = client.status().get();
            assertThat(status.mode()).isEqualTo("proxy");
            assertThat(status.configVersion()).isEqualTo(1);
            List<Api.Pool> pools = client.pools().get();
            assertThat(pools).singleElement().extracting(Api.Pool::name).isEqualTo("web_pool");
            assertThat(client.configToml().get().value()).isEqualTo(appliance.initialText());
            assertThat(client.configToml().get().version()).isEqualTo(1);

            List<ApplianceEvent> events = new CopyOnWriteArrayList<>();
            EventStream stream = client.events(events::add, up -> { }, failure -> { });
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

    @Test
    void logsInWithUserAndPasswordForATokenThatActsWithTheUsersRole(@TempDir Path dir) throws Exception {
        try (LiveAppliance appliance = LiveAppliance.start(dir)) {
            java.util.concurrent.atomic.AtomicReference<String> token = new java.util.concurrent.atomic.AtomicReference<>();
            AdminClient client = new AdminClient(appliance.adminUrl(), new Trust.Pinned(appliance.fingerprint()),
                    () -> java.util.Optional.ofNullable(token.get()));
            assertThatThrownBy(() -> client.status().get()).hasCauseInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e.getCause()).status()).isEqualTo(401));
            assertThatThrownBy(() -> client.login("admin", "not the password", "console@test").get())
                    .satisfies(e -> assertThat(((ApiException) e.getCause()).status()).isEqualTo(401));

            Api.Login login = client.login("admin", appliance.adminPassword(), "console@test").get();
            assertThat(login.token()).startsWith("cvy_");
            assertThat(login.role()).isEqualTo("admin");
            token.set(login.token());
            Api.Session session = client.session().get();
            assertThat(session.user()).isEqualTo("admin");
            assertThat(session.auth()).isEqualTo("token");
            assertThat(client.tokens(false).get()).extracting(Api.Token::name).contains("console@test");

            appliance.addUser("vera", "viewer", "vera-password-1");
            Api.Login viewer = client.login("vera", "vera-password-1", "console@test").get();
            token.set(viewer.token());
            assertThat(client.session().get().role()).isEqualTo("viewer");
            assertThat(client.pools().get()).hasSize(1);
            assertThatThrownBy(() -> client.updateServer("web_pool", "a", java.util.Map.of("weight", 5)).get())
                    .satisfies(e -> {
                        ApiException refused = (ApiException) e.getCause();
                        assertThat(refused.status()).isEqualTo(403);
                        assertThat(refused.getMessage()).contains("operator");
                    });
            assertThat(appliance.configVersion()).isEqualTo(1);
        }
    }
}
