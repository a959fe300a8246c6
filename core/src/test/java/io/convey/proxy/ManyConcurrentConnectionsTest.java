package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.UnixOperatingSystemMXBean;
import io.convey.testing.TestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class ManyConcurrentConnectionsTest {
    private static final int CONNECTIONS = 2_000;
    /** Client, accepted, server-side and server-accepted socket per flow, plus headroom for the JVM. */
    private static final long FDS_NEEDED = 4L * CONNECTIONS + 1_000;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoThousandOpenConnectionsAllEchoTheirOwnBytes(Transport transport) throws Exception {
        long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assertThat(limit).as("open-file limit of the test JVM (raise with ulimit -n)").isGreaterThanOrEqualTo(FDS_NEEDED);
        TestServer backend = TestServer.echo();
        TestRouter router = TestRouter.of(backend.address());
        try (backend; ProxyServer proxy = new ProxyServer(router, 2, transport)) {
            InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket client = new Socket(frontend.getAddress(), frontend.getPort());
                    client.setSoTimeout(20_000);
                    clients.add(client);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.activeConnections() == CONNECTIONS
                        && router.servers.opened.get() == CONNECTIONS);

                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<String>> replies = new ArrayList<>();
                    for (int i = 0; i < CONNECTIONS; i++) {
                        Socket client = clients.get(i);
                        String message = "client " + i + " says hello";
                        replies.add(threads.submit(() -> echo(client, message)));
                    }
                    for (int i = 0; i < CONNECTIONS; i++) {
                        assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("client " + i + " says hello");
                    }
                }
                assertThat(backend.accepted.get()).isEqualTo(CONNECTIONS);
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.activeConnections() == 0);
            assertThat(router.frontend.opened.get()).isEqualTo(CONNECTIONS);
            await().atMost(Duration.ofSeconds(5)).until(router::balanced);
        }
    }

    private static String echo(Socket client, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        client.getOutputStream().write(bytes);
        return new String(client.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
}
