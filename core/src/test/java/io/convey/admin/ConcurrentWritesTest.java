package io.convey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.testing.NamedServer;
import io.convey.testing.RunningDaemon;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes are serialized: the same If-Match lets exactly one through, and no update is ever lost. */
class ConcurrentWritesTest {
    private static final int WRITERS = 8;

    @Test
    void sameIfMatchExactlyOneWinsAndWithoutItNoUpdateIsLost(@TempDir Path dir) throws Exception {
        List<NamedServer> servers = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            NamedServer server = new NamedServer("s" + i);
            servers.add(server);
            pairs.add("s" + i);
            pairs.add(server.addr());
        }
        try (RunningDaemon daemon = RunningDaemon.start(dir, Configs.onePool("round_robin", pairs.toArray(String[]::new)));
                ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            Api api = new Api(daemon);

            List<Integer> statuses = race(pool, i -> api.send("PATCH", "/api/v1/backends/p/servers/s0",
                    "{\"weight\": " + (100 + i) + "}", "If-Match", "\"1\"").statusCode());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 412).hasSize(WRITERS - 1);
            assertThat(api.version()).isEqualTo(2);

            List<Integer> unconditional = race(pool, i -> api.send("PATCH", "/api/v1/backends/p/servers/s" + i,
                    "{\"weight\": " + (200 + i) + "}").statusCode());
            assertThat(unconditional).containsOnly(200);
            assertThat(api.version()).isEqualTo(2 + WRITERS);
            String file = api.fileText();
            var running = daemon.daemon().engine().config().backends().get("p").servers();
            for (int i = 0; i < WRITERS; i++) {
                assertThat(file).contains("weight = " + (200 + i));
                assertThat(running.get("s" + i).weight()).isEqualTo(200 + i);
            }
        } finally {
            for (NamedServer server : servers) {
                server.close();
            }
        }
    }

    private interface Writer {
        int write(int index) throws Exception;
    }

    /** Starts all writers together and returns their status codes. */
    private static List<Integer> race(ExecutorService pool, Writer writer) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int index = i;
            Callable<Integer> task = () -> {
                start.await();
                return writer.write(index);
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : futures) {
            statuses.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        return statuses;
    }
}
