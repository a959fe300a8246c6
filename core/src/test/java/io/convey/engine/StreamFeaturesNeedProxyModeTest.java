package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.Mode;
import io.convey.config.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFeaturesNeedProxyModeTest {

    @Test
    void thePacketModesRefuseProxyHeadersAndSniRouting() {
        ConveyConfig config = ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "10.0.0.1:443"
                backend = "p"
                accept_proxy = true
                [frontends.f.sni]
                "a.example" = "p"
                [backends.p]
                send_proxy = "v2"
                [backends.p.servers.s]
                addr = "10.0.0.2:443"
                """, "convey.toml").config().orElseThrow();
        String why = " (expected: proxy mode; the packet modes forward packets without reading the TCP stream)";
        for (Mode mode : new Mode[] {Mode.PASSTHROUGH, Mode.DSR}) {
            assertThat(PacketModeValidation.configProblems(mode, config)).extracting(Problem::path, Problem::message)
                    .contains(tuple("frontends.f.accept_proxy", "true" + why),
                            tuple("frontends.f.sni", "a table" + why),
                            tuple("backends.p.send_proxy", "\"v2\"" + why));
        }
    }

    @Test
    void theProxyOnlyLimitsLoadInThePacketModesWithAWarningEach() {
        ConveyConfig config = ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "10.0.0.1:80"
                backend = "p"
                max_connections = 100
                [backends.p]
                observe = true
                persistence_timeout_s = 300
                half_close = false
                [backends.p.servers.s]
                addr = "10.0.0.2:80"
                max_connections = 50
                [backends.p.servers.t]
                addr = "10.0.0.3:80"
                """, "convey.toml").config().orElseThrow();
        String why = " has no effect in passthrough mode (expected: proxy mode; the packet modes hash each flow to a"
                + " server and cannot hold one back)";
        List<Problem> problems = PacketModeValidation.configProblems(Mode.PASSTHROUGH, config);
        assertThat(problems).allMatch(Problem::warning).extracting(Problem::path, Problem::message).containsExactly(
                tuple("frontends.f.max_connections", "100" + why),
                tuple("backends.p.servers.s.max_connections", "50" + why),
                tuple("backends.p.observe", "true" + why),
                tuple("backends.p.persistence_timeout_s", "300" + why),
                tuple("backends.p.half_close", "false has no effect in passthrough mode (expected: proxy mode; the"
                        + " packet modes pass each FIN on as the client or server sent it)"));
        assertThat(PacketModeValidation.configProblems(Mode.DSR, config)).hasSize(5)
                .allMatch(p -> p.warning() && p.message().contains(" in dsr mode "));
    }
}
