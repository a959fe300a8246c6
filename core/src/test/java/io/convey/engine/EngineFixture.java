package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.config.ConfigLoader;
import io.convey.config.LoadResult;
import io.convey.engine.PoolView.ServerView;
import java.time.Duration;

/** Shared waits for engine tests. */
final class EngineFixture {
    private EngineFixture() {}

    /**
     * Parses and applies TOML text as from a file named convey.toml, and fails the test with the engine's problems
     * when it is rejected (a listener that cannot be bound, say), rather than later with a null bound address.
     */
    static ReloadStatus apply(Engine engine, String text) {
        ReloadStatus status = attempt(engine, text);
        assertThat(status.ok()).as("config rejected: %s", status.problems()).isTrue();
        return status;
    }

    /** Parses and applies TOML text as from a file named convey.toml, or records why it was rejected. */
    static ReloadStatus attempt(Engine engine, String text) {
        engine.configFile("convey.toml"); // the data plane's problems name the same file as the loader's
        LoadResult result = ConfigLoader.parse(text, "convey.toml");
        if (!result.ok()) {
            return engine.reject("test", result.errors());
        }
        return engine.apply(result.config().orElseThrow(), "test", "test", text);
    }

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
