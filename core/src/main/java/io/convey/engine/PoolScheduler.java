package io.convey.engine;

import io.convey.balance.FlowKeys;
import io.convey.config.PoolConfig;
import io.convey.config.ServerConfig;
import io.convey.config.ServerDownAction;
import io.convey.config.ServerState;
import io.convey.packet.FlowScheduler;
import io.convey.packet.ServerRef;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Maps a pool runtime's Maglev picks to the packet data plane's server references; immutable, built once per state. */
final class PoolScheduler implements FlowScheduler {
    private final PoolRuntime pool;
    private final ServerRef[] refs;
    private final Map<ServerRef, Boolean> up = new HashMap<>();
    private final Set<ServerRef> kept = new HashSet<>();

    /** With a null runtime (before the first state) nothing is picked and every server counts as down. */
    PoolScheduler(PoolConfig config, PoolRuntime pool) {
        this.pool = pool;
        boolean keep = config.onServerDown() == ServerDownAction.KEEP;
        List<ServerConfig> servers = List.copyOf(config.servers().values());
        this.refs = new ServerRef[servers.size()];
        for (int i = 0; i < refs.length; i++) {
            ServerConfig s = servers.get(i);
            if (s.addr().getAddress() != null) {
                refs[i] = ServerRef.of(s.name(), s.addr().getAddress(), s.addr().getPort());
                ServerRuntime runtime = pool == null ? null : pool.servers().get(i);
                up.put(refs[i], runtime != null && runtime.up() && s.state() != ServerState.DISABLED);
                if (keep && s.state() != ServerState.DISABLED) {
                    kept.add(refs[i]);
                }
            }
        }
    }

    @Override
    public boolean keepsFlowsOf(ServerRef server) {
        return kept.contains(server);
    }

    List<ServerRef> refs() {
        return Arrays.stream(refs).filter(Objects::nonNull).toList();
    }

    @Override
    public ServerRef pick(int clientIp, int clientPort) {
        if (pool == null) {
            return null;
        }
        int index = pool.balancer().pick(FlowKeys.flowKey(clientIp, clientPort), i -> 0, i -> refs[i] == null);
        return index < 0 ? null : refs[index];
    }

    @Override
    public ServerRef pick(long clientHigh, long clientLow, int clientPort) {
        if (pool == null) {
            return null;
        }
        long key = FlowKeys.flowKey(clientHigh, clientLow, clientPort);
        int index = pool.balancer().pick(key, i -> 0, i -> refs[i] == null);
        return index < 0 ? null : refs[index];
    }

    @Override
    public boolean isUp(ServerRef server) {
        return up.getOrDefault(server, Boolean.FALSE);
    }
}
