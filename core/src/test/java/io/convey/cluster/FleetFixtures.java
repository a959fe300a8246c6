package io.convey.cluster;

import io.convey.testing.EtcdCluster;
import io.convey.testing.RunningDaemon;
import io.convey.testing.Tcp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Fleet texts, member files and an etcd client for the fleet scenario tests. */
final class FleetFixtures {
    private FleetFixtures() {}

    /** A fleet configuration: pool {@code web} with server {@code a} (weight {@code weight}) at {@code serverPort}. */
    static String fleetText(int serverPort, int weight) {
        return """
                # the fleet's configuration, shared by every member
                [backends.web]
                health_check_interval_ms = 200

                [backends.web.servers.a]
                addr = "127.0.0.1:%d"
                weight = %d
                """.formatted(serverPort, weight);
    }

    /** A member's own file: its admin listener and the [cluster] section. */
    static String memberText(EtcdCluster etcd, String fleet, String member) {
        return """
                [admin]
                listen_addr = "127.0.0.1:%d"

                [cluster]
                etcd_endpoints = %s
                name = "%s"
                member = "%s"
                member_ttl_s = 2
                """.formatted(Tcp.freeLoopbackPort(), etcd.endpointsToml(), fleet, member);
    }

    static Fleet fleet(EtcdCluster etcd, String name) throws IOException {
        return new Fleet(new EtcdClient(EtcdSettings.plain(etcd.endpoints())), name);
    }

    /** Puts the first configuration into an empty fleet key; its revision. */
    static long init(EtcdCluster etcd, String name, String text) throws IOException {
        try (EtcdClient client = new EtcdClient(EtcdSettings.plain(etcd.endpoints()))) {
            return new Fleet(client, name).write(text, 0, new Fleet.Change("test", "init", "fleet created", Instant.now()))
                    .orElseThrow();
        }
    }

    static RunningDaemon member(Path dir, EtcdCluster etcd, String fleet, String member) throws Exception {
        Path memberDir = Files.createDirectories(dir.resolve(member));
        return RunningDaemon.start(memberDir, memberText(etcd, fleet, member));
    }

    /** The member's mirror of the fleet's configuration, next to its own file. */
    static String mirror(RunningDaemon daemon) throws IOException {
        return Files.readString(daemon.config().resolveSibling("convey.fleet.toml"));
    }
}
