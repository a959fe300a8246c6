package io.convey.engine;

import io.convey.balance.Balancer;
import io.convey.balance.Maglev;
import io.convey.config.ConfigWord;
import io.convey.config.Algorithm;
import io.convey.config.ServerConfig;
import io.convey.config.ServerState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a pool would do with other weights or states, computed with the same balancers the data plane uses
 * over the servers' current health; nothing is applied.
 *
 * @param shares        expected share of new connections per server (0 for ineligible servers)
 * @param movedFraction for Maglev pools, the share of flows that would change server; null otherwise
 */
public record WhatIf(Map<String, Double> shares, Double movedFraction) {

    /**
     * @param weights new weights by server name (0-65535), others unchanged
     * @param states  new states by server name, others unchanged
     * @throws IllegalArgumentException naming the first unknown server or out-of-range weight
     */
    public static WhatIf of(PoolView pool, Map<String, Integer> weights, Map<String, ServerState> states) {
        for (String name : concat(weights.keySet(), states.keySet())) {
            if (pool.servers().stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("backends." + pool.config().name() + ".servers." + name
                        + ": not found (expected: a server of the pool)");
            }
        }
        weights.forEach((name, w) -> {
            if (w < 0 || w > ServerConfig.MAX_WEIGHT) {
                throw new IllegalArgumentException("backends." + pool.config().name() + ".servers." + name + ".weight: "
                        + w + " (expected: 0-" + ServerConfig.MAX_WEIGHT + ")");
            }
        });
        List<String> ids = pool.servers().stream().map(PoolView.ServerView::name).toList();
        int[] before = new int[ids.size()];
        int[] after = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            PoolView.ServerView s = pool.servers().get(i);
            before[i] = s.eligible() ? s.weight() : 0;
            int weight = weights.getOrDefault(s.name(), s.weight());
            ServerState state = states.getOrDefault(s.name(), ConfigWord.fromId(ServerState.class, s.state()).orElseThrow());
            after[i] = s.up() && state == ServerState.ENABLED ? weight : 0;
        }
        Balancer.Kind kind = PoolRuntime.kind(pool.config());
        Balancer next = Balancer.create(kind, ids, after);
        double[] expected = next.expectedShares();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            shares.put(ids.get(i), expected[i]);
        }
        Double moved = pool.config().algorithm() == Algorithm.MAGLEV
                ? Maglev.movedFraction(Balancer.create(kind, ids, before), next) : null;
        return new WhatIf(shares, moved);
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
