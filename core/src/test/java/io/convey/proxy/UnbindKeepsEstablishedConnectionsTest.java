package io.convey.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.convey.testing.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class UnbindKeepsEstablishedConnectionsTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unboundFrontendRefusesNewClientsWhileEstablishedOnesKeepFlowing(Transport transport) throws Exception {
        TestServer backend = TestServer.echo();
        TestRouter router = TestRouter.of(backend.address());
        try (backend; ProxyServer proxy = new ProxyServer(router, 2, transport)) {
            InetSocketAddress frontend = proxy.bind("web", new InetSocketAddress("127.0.0.1", 0)).join();
            try (Socket established = new Socket(frontend.getAddress(), frontend.getPort())) {
                established.setSoTimeout(10_000);
                assertThat(echo(established, "before")).isEqualTo("before");

                proxy.unbind("web").join();

                assertThat(proxy.boundFrontends()).isEmpty();
                assertThat(proxy.localAddress("web")).isNull();
                // On NIO the JDK closes a listener registered with a selector at the selector's next wake-up,
                // just after the close future completes; epoll and io_uring close it at once.
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThatThrownBy(() -> new Socket(frontend.getAddress(), frontend.getPort()).close())
                                .isInstanceOf(ConnectException.class));
                assertThat(echo(established, "after")).isEqualTo("after");
                assertThat(proxy.activeConnections()).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.activeConnections() == 0);
            await().atMost(Duration.ofSeconds(5)).until(router::balanced);
            assertThat(router.frontend.opened.get()).isEqualTo(1);
            assertThat(router.servers.fromClient.get()).isEqualTo("beforeafter".length());
            assertThat(router.servers.fromServer.get()).isEqualTo("beforeafter".length());
        }
    }

    private static String echo(Socket client, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        client.getOutputStream().write(bytes);
        return new String(client.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
}
