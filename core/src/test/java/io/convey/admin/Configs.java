package io.convey.admin;

/** Config files for the admin API tests: one frontend on a free loopback port, one pool with loopback servers, stats on any port. */
final class Configs {
    private Configs() {}

    /** {@code servers} as name, addr pairs; checks every 200 ms with fall 1 so health changes show quickly. */
    static String onePool(String algorithm, String... servers) {
        StringBuilder sb = new StringBuilder("""
                # the appliance under test
                [frontends.f]
                listen_addr = "127.0.0.1:%2$d"
                backend = "p"

                [backends.p]
                algorithm = "%s"
                health_check_interval_ms = 200
                rise = 1
                fall = 1
                """.formatted(algorithm, io.convey.testing.Tcp.freeLoopbackPort()));
        for (int i = 0; i < servers.length; i += 2) {
            sb.append("""
                    [backends.p.servers.%s]
                    addr = "%s"
                    weight = 1
                    """.formatted(servers[i], servers[i + 1]));
        }
        sb.append("""

                [stats]
                port = "0"
                """);
        return sb.toString();
    }
}
