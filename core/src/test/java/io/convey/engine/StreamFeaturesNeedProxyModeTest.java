package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.Mode;
import io.convey.config.Problem;
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
                    .contains(org.assertj.core.groups.Tuple.tuple("frontends.f.accept_proxy", "true" + why),
                            org.assertj.core.groups.Tuple.tuple("frontends.f.sni", "a table" + why),
                            org.assertj.core.groups.Tuple.tuple("backends.p.send_proxy", "\"v2\"" + why));
        }
    }
}
