package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.stats.QueueCounters;
import io.convey.testing.NamedServer;
import io.convey.testing.Tcp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A server at its max_connections: the next client waits in the pool's queue, in arrival order, until a timeout. */
class FullServerQueuesTheNextClientTest {

    private static String config(NamedServer a, int queueSize, long queueTimeoutMs) {
        return """
                [frontends.f]
                listen_addr = "127.0.0.1:%d"
                backend = "p"
                [backends.p]
                health_check_interval = 3600
                queue_size = %d
                queue_timeout_ms = %d
                [backends.p.servers.a]
                addr = "%s"
                max_connections = 1
                """.formatted(Tcp.freeLoopbackPort(), queueSize, queueTimeoutMs, a.addr());
    }

    private static QueueCounters.Snapshot queue(Engine engine) {
        return engine.pools().getFirst().queue();
    }

    @Test
    void theQueuedClientIsServedAsSoonAsTheSlotFrees() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, config(a, 10, 600_000));
            EngineFixture.awaitAllChecked(engine);
            var frontend = engine.boundAddress("f");
            int checks = a.accepted();
            try (var first = Clients.open(frontend)) {
                assertThat(first.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                var second = Clients.open(frontend);
                await().until(() -> queue(engine).current() == 1);
                assertThat(second.greeting).isNotDone();
                assertThat(a.accepted() - checks).isEqualTo(1);
                assertThat(EngineFixture.server(engine, "p", "a").limits().slotsInUse()).isEqualTo(1);

                first.close();

                assertThat(second.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                second.close();
                QueueCounters.Snapshot q = queue(engine);
                assertThat(q.current()).isZero();
                assertThat(q.peak()).isEqualTo(1);
                assertThat(q.queued()).isEqualTo(1);
                assertThat(q.served()).isEqualTo(1);
                assertThat(q.timedOut()).isZero();
            }
        }
    }

    @Test
    void pastTheQueueTimeoutTheClientIsClosedAndCounted() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, config(a, 10, 300));
            EngineFixture.awaitAllChecked(engine);
            var frontend = engine.boundAddress("f");
            int checks = a.accepted();
            try (var holder = Clients.open(frontend)) {
                assertThat(holder.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                var late = Clients.open(frontend);

                assertThat(late.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isNull(); // closed without a server
                QueueCounters.Snapshot q = queue(engine);
                assertThat(q.timedOut()).isEqualTo(1);
                assertThat(q.served()).isZero();
                assertThat(q.current()).isZero();
                assertThat(a.accepted() - checks).isEqualTo(1);
                late.close();
            }
        }
    }

    @Test
    void aFullQueueClosesTheNextClientAtOnce() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, config(a, 1, 600_000));
            var frontend = engine.boundAddress("f");
            try (var holder = Clients.open(frontend)) {
                assertThat(holder.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                var waiting = Clients.open(frontend);
                await().until(() -> queue(engine).current() == 1);
                try (var refused = Clients.open(frontend)) {
                    assertThat(refused.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isNull();
                }
                assertThat(queue(engine).full()).isEqualTo(1);
                assertThat(waiting.greeting).isNotDone();
                holder.close();
                assertThat(waiting.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                waiting.close();
            }
        }
    }

    @Test
    void waitingClientsAreServedInArrivalOrder() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(4)) {
            EngineFixture.apply(engine, config(a, 10, 600_000));
            var frontend = engine.boundAddress("f");
            List<Clients.Held> clients = new ArrayList<>();
            try {
                clients.add(Clients.open(frontend));
                assertThat(clients.getFirst().greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                for (int i = 1; i <= 6; i++) {
                    clients.add(Clients.open(frontend));
                    int length = i;
                    await().until(() -> queue(engine).current() == length);
                }
                List<Integer> servedOrder = new CopyOnWriteArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    int index = i;
                    clients.get(i).greeting.thenRun(() -> servedOrder.add(index));
                }
                for (int i = 0; i < 6; i++) {
                    clients.get(i).close(); // frees the one slot: exactly the oldest waiter gets it
                    int served = i + 1;
                    await().atMost(Duration.ofSeconds(10)).until(() -> servedOrder.size() == served);
                }
                assertThat(servedOrder).containsExactly(1, 2, 3, 4, 5, 6);
                assertThat(queue(engine).peak()).isEqualTo(6);
            } finally {
                for (var c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aFrontendAtItsLimitStopsAcceptingUntilAConnectionEnds() throws Exception {
        try (NamedServer a = new NamedServer("a"); Engine engine = Engine.proxy(2)) {
            EngineFixture.apply(engine, """
                    [frontends.f]
                    listen_addr = "127.0.0.1:%d"
                    backend = "p"
                    max_connections = 2
                    [backends.p]
                    health_check_interval = 3600
                    [backends.p.servers.a]
                    addr = "%s"
                    """.formatted(Tcp.freeLoopbackPort(), a.addr()));
            EngineFixture.awaitAllChecked(engine);
            var frontend = engine.boundAddress("f");
            int checks = a.accepted();
            try (var one = Clients.open(frontend)) {
                assertThat(one.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                var two = Clients.open(frontend);
                assertThat(two.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                try (var three = Clients.open(frontend)) { // completes in the kernel's backlog
                    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                            .until(() -> !three.greeting.isDone() && a.accepted() - checks == 2);
                    one.close();
                    assertThat(three.greeting.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("a");
                    assertThat(a.accepted() - checks).isEqualTo(3);
                    two.close();
                }
            }
        }
    }
}
