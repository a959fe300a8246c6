package io.convey.packet;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Round-robin over the servers that are up; tests mark servers down. */
final class TestScheduler implements FlowScheduler {
    private final List<ServerRef> servers;
    private final Set<ServerRef> down = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean keepFlows;

    TestScheduler(List<ServerRef> servers) {
        this.servers = List.copyOf(servers);
    }

    void markDown(ServerRef server) {
        down.add(server);
    }

    /** Flows of down servers go on to them (on_server_down = "keep"). */
    TestScheduler keepingFlows() {
        keepFlows = true;
        return this;
    }

    @Override
    public boolean keepsFlowsOf(ServerRef server) {
        return keepFlows;
    }

    @Override
    public ServerRef pick(int clientIp, int clientPort) {
        for (int i = 0; i < servers.size(); i++) {
            ServerRef s = servers.get(Math.floorMod(next.getAndIncrement(), servers.size()));
            if (!down.contains(s)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public boolean isUp(ServerRef server) {
        return !down.contains(server);
    }
}
