package io.convey.balance;

import io.convey.config.ConfigLoader;
import io.convey.config.PoolConfig;
import io.convey.config.ServerConfig;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Run in a JVM of its own: builds a pool's Maglev table from a config file and a health view the way the engine
 * does (servers in file order, a server that is down, draining or disabled weighs 0) and prints the server of
 * every slot, one per line. Arguments: the file, the pool, the servers that are down (comma-separated).
 */
public final class MaglevTableDump {
    private MaglevTableDump() {}

    public static void main(String[] args) throws Exception {
        PoolConfig pool = ConfigLoader.load(Path.of(args[0])).config().orElseThrow().backends().get(args[1]);
        Set<String> down = args.length > 2 ? Set.of(args[2].split(",")) : Set.of();
        List<String> ids = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (ServerConfig server : pool.servers().values()) {
            ids.add(server.name());
            weights.add(server.takesNewConnections() && !down.contains(server.name()) ? server.weight() : 0);
        }
        Maglev maglev = (Maglev) Balancer.maglev(ids, weights.stream().mapToInt(Integer::intValue).toArray());
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
            for (int slot = 0; slot < Maglev.TABLE_SIZE; slot++) {
                out.write(String.valueOf(maglev.idAt(slot)));
                out.write('\n');
            }
        }
    }
}
