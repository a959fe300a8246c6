package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.ConfigLoader;
import io.convey.config.PoolConfig;
import io.convey.packet.ServerRef;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A pool's on_server_down reaches the packet data plane's scheduler; a server the operator disabled is never kept. */
class OnServerDownTest {

    static PoolConfig pool(String action) {
        return ConfigLoader.parse("""
                [frontends.f]
                listen_addr = "10.9.0.10:80"
                backend = "p"
                [backends.p]
                on_server_down = "%s"
                [backends.p.servers.a]
                addr = "10.9.0.4:8080"
                [backends.p.servers.b]
                addr = "10.9.0.5:8080"
                state = "disabled"
                """.formatted(action), "t.toml").config().orElseThrow().backends().get("p");
    }

    @Test
    void keepKeepsTheFlowsOfServersThatFailTheirChecksButNotOfDisabledOnes() {
        PoolScheduler keep = new PoolScheduler(pool("keep"), null);
        Map<String, ServerRef> refs = keep.refs().stream().collect(Collectors.toMap(ServerRef::name, Function.identity()));
        assertThat(keep.isUp(refs.get("a"))).isFalse(); // no health state yet: down
        assertThat(keep.keepsFlowsOf(refs.get("a"))).isTrue();
        assertThat(keep.keepsFlowsOf(refs.get("b"))).isFalse();

        PoolScheduler reset = new PoolScheduler(pool("reset"), null);
        assertThat(reset.refs()).allSatisfy(ref -> assertThat(reset.keepsFlowsOf(ref)).isFalse());
    }
}
