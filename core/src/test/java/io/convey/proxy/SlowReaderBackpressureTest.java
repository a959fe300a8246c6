package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(60)
class SlowReaderBackpressureTest {
    private static final Logger log = LoggerFactory.getLogger(SlowReaderBackpressureTest.class);
    private static final long TOTAL = 200L << 20;
    private static final long MAX_PENDING = 16L << 20;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientThatDoesNotReadStallsServerWithoutProxyBuffering(Transport transport) throws Exception {
        AtomicLong written = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        try (TestServer backend = TestServer.start(socket -> {
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[64 << 10];
                    while (written.get() < TOTAL) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                    done.complete(written.get());
                });
                ProxyServer proxy = new ProxyServer(TestRouter.of(backend.address()), 2, transport)) {
            InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();

            try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
                AtomicLong lastSeen = new AtomicLong(-1);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> written.get() > 0 && written.get() == lastSeen.getAndSet(written.get()));

                long pending = proxy.pendingWriteBytes();
                log.info("stalled: server wrote={} MiB, proxy pending={} KiB", written.get() >> 20, pending >> 10);
                assertThat(written.get()).isLessThan(TOTAL / 2);
                assertThat(pending).isLessThan(MAX_PENDING);

                InputStream in = client.getInputStream();
                byte[] buffer = new byte[1 << 20];
                long received = 0;
                while (received < TOTAL) {
                    int n = in.read(buffer);
                    assertThat(n).isPositive();
                    received += n;
                }
                assertThat(received).isEqualTo(TOTAL);
                assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo(TOTAL);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
        }
    }
}
