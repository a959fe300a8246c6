package io.convey.engine;

import static org.awaitility.Awaitility.await;

import io.convey.engine.PoolView.ServerView;
import java.time.Duration;

/** Shared waits for engine tests. */
final class EngineFixture {
    private EngineFixture() {}

    /** Waits until every server of every pool has had its first health check. */
    static void awaitAllChecked(Engine engine) {
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.pools().stream()
                .flatMap(p -> p.servers().stream())
                .allMatch(s -> s.health() != null && s.health().checked()));
    }

    static ServerView server(Engine engine, String pool, String name) {
        return engine.pools().stream().filter(p -> p.config().name().equals(pool)).findFirst().orElseThrow()
                .servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
