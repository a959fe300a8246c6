package io.convey.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyTransportConfigTest {
    private static final String POOL = """
            [frontends.f]
            listen_addr = "127.0.0.1:8000"
            backend = "p"
            [backends.p]
            [backends.p.servers.a]
            addr = "127.0.0.1:9000"
            """;

    @Test
    void withoutAProxySectionTheTransportIsChosenAutomatically() {
        ConveyConfig config = ConfigLoader.parse(POOL, "t.toml").config().orElseThrow();

        assertThat(config.proxy().transport()).isEqualTo(ProxyTransport.AUTO);
    }

    @ParameterizedTest
    @CsvSource({"auto, AUTO", "io_uring, IO_URING", "epoll, EPOLL", "nio, NIO"})
    void eachTransportIsChosenByItsWord(String word, ProxyTransport expected) {
        LoadResult result = ConfigLoader.parse(POOL + "[proxy]\ntransport = \"" + word + "\"\n", "t.toml");

        assertThat(result.problems()).isEmpty();
        assertThat(result.config().orElseThrow().proxy().transport()).isEqualTo(expected);
    }

    @Test
    void anUnknownTransportIsRejectedWithFileLineAndKey() {
        LoadResult result = ConfigLoader.parse(POOL + "[proxy]\ntransport = \"iouring\"\n", "t.toml");

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(Problem::toString)
                .containsExactly("t.toml:8: proxy.transport: \"iouring\" (expected: one of auto, io_uring, epoll, nio)");
    }

    @Test
    void anUnknownProxyKeyIsAWarningNamingTheKnownOne() {
        LoadResult result = ConfigLoader.parse(POOL + "[proxy]\nthreads = 2\n", "t.toml");

        assertThat(result.ok()).isTrue();
        assertThat(result.problems()).extracting(Problem::toString)
                .containsExactly("t.toml:8: warning: proxy.threads: unknown key, ignored (expected one of: transport)");
    }
}
