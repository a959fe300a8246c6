package io.convey.cli;

import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.DsrMethod;
import io.convey.config.FrontendConfig;
import io.convey.config.LoadResult;
import io.convey.config.PoolConfig;
import io.convey.engine.PacketDeliveries;
import io.convey.packet.Delivery;
import io.convey.packet.DsrServerSetup;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The commands each server of a config needs for direct server return, by its pool's {@code dsr_method}. */
public final class ServerSetup {
    private ServerSetup() {}

    /** The packet data plane's delivery for a pool's DSR method. */
    public static Delivery delivery(DsrMethod method) {
        return PacketDeliveries.dsr(method);
    }

    /** One script section per frontend, in file order; frontends whose pool is missing are skipped. */
    public static String script(ConveyConfig config) {
        StringBuilder out = new StringBuilder();
        for (FrontendConfig frontend : config.frontends().values()) {
            PoolConfig pool = config.backends().get(frontend.backend());
            if (pool == null) {
                continue;
            }
            Map<String, InetSocketAddress> servers = new LinkedHashMap<>();
            pool.servers().forEach((name, server) -> servers.put(name, server.addr()));
            out.append(DsrServerSetup.script(frontend.name(), delivery(pool.dsrMethod()), frontend.listenAddr(),
                    servers, frontend.protocol() == io.convey.config.Protocol.UDP
                            ? io.convey.packet.Transport.udp(frontend.udp().idleTimeout())
                            : io.convey.packet.Transport.TCP)).append('\n');
        }
        return out.toString();
    }

    /** Loads the file and prints the script; returns the exit code (0, or 2 for a config that does not load). */
    public static int print(Path file, PrintStream out, PrintStream err, int badConfig) {
        LoadResult result = ConfigLoader.load(file);
        result.problems().forEach(err::println);
        if (!result.ok()) {
            err.println(file + ": " + result.errors().size() + " problem(s); the configuration is not valid");
            return badConfig;
        }
        try {
            out.print(script(result.config().orElseThrow()));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(file + ": " + e.getMessage());
            return badConfig;
        }
    }
}
