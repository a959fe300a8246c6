package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(400);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void trafficKeepsFlowOpenAndSilenceClosesBothSides(Transport transport) throws Exception {
        CompletableFuture<Long> serverSawEnd = new CompletableFuture<>();
        try (TestServer backend = TestServer.start(socket -> {
                    socket.getInputStream().transferTo(socket.getOutputStream());
                    serverSawEnd.complete(System.nanoTime());
                });
                ProxyServer proxy = new ProxyServer(
                        new TestRouter(List.of(backend.address()), Duration.ofSeconds(2), IDLE), 2, transport)) {
            InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();

            try (Socket client = new Socket(frontend.getAddress(), frontend.getPort())) {
                client.setSoTimeout(10_000);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                // Ten exchanges a quarter of the idle timeout apart: twice as long as the timeout in total.
                for (int i = 0; i < 10; i++) {
                    await().pollDelay(IDLE.dividedBy(4)).until(() -> true);
                    out.write(i);
                    assertThat(in.read()).isEqualTo(i);
                }
                long silentSince = System.nanoTime();

                assertThat(in.read()).isEqualTo(-1);
                long closedAfter = System.nanoTime() - silentSince;
                assertThat(Duration.ofNanos(closedAfter)).isGreaterThanOrEqualTo(IDLE.minusMillis(50));
                assertThat(serverSawEnd.get(5, TimeUnit.SECONDS) - silentSince)
                        .isGreaterThanOrEqualTo(IDLE.minusMillis(50).toNanos());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
        }
    }
}
