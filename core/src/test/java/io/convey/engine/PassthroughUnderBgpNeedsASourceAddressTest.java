package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.Main;
import io.convey.config.ConfigLoader;
import io.convey.config.ConveyConfig;
import io.convey.config.Mode;
import io.convey.config.Problem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under ECMP every appliance announces the same VIP, so passthrough flows must leave from each appliance's own
 * address ({@code [passthrough] source_addr}): without one, or with a VIP as one, the config is refused, in
 * {@code --validate -p} with file, line and key; the address must be on the interface where the VIPs are captured.
 */
class PassthroughUnderBgpNeedsASourceAddressTest {
    static final String BGP = """
            [bgp]
            local_as = 65001
            router_id = "10.1.0.11"
              [bgp.peers.router]
              address = "10.1.0.1"
              remote_as = 65000
            """;

    @TempDir
    Path dir;

    static String config(String passthrough, String bgp) {
        return """
                [frontends.web]
                listen_addr = "10.99.0.10:80"
                backend = "pool"
                [backends.pool]
                  [backends.pool.servers.s1]
                  addr = "10.1.0.21:8080"
                %s
                %s""".formatted(passthrough, bgp);
    }

    static ConveyConfig parsed(String text) {
        return ConfigLoader.parse(text, "convey.toml").config().orElseThrow();
    }

    /** eth0 holds the VIP and 10.1.0.11; lo holds 127.0.0.1. */
    static PacketModeValidation.Host host() {
        return new PacketModeValidation.Host() {
            @Override
            public String interfaceOf(InetAddress address) {
                return switch (address.getHostAddress()) {
                    case "10.99.0.10", "10.1.0.11" -> "eth0";
                    case "10.1.0.50" -> "eth1";
                    default -> null;
                };
            }

            @Override
            public InetAddress sourceTowards(InetAddress destination) {
                return null;
            }
        };
    }

    @Test
    void withBgpAPassthroughVipWithoutASourceAddressIsRefusedAtItsLine() {
        var problems = PacketModeValidation.configProblems(Mode.PASSTHROUGH, parsed(config("", BGP)));
        assertThat(problems).extracting(Problem::toString).containsExactly("config: frontends.web.listen_addr: "
                + "\"10.99.0.10:80\" (expected: [passthrough] source_addr with this appliance's own IPv4 address: with"
                + " [bgp] every appliance announces the VIP, and the routers would hash the servers' replies to it to"
                + " any appliance, where the flow is unknown)");
        assertThat(PacketModeValidation.configProblems(Mode.PASSTHROUGH, parsed(config("", "")))).as("one appliance")
                .isEmpty();
        assertThat(PacketModeValidation.configProblems(Mode.DSR, parsed(config("", BGP)))).as("DSR sees no replies")
                .isEmpty();
    }

    @Test
    void theDaemonsChecksRefuseItToo() {
        var checked = PacketModeValidation.check(Mode.PASSTHROUGH, parsed(config("", BGP)), null, host());
        assertThat(checked.problems()).extracting(Problem::path).containsExactly("frontends.web.listen_addr");
    }

    @Test
    void aVipAsSourceAddressIsRefused() {
        var problems = PacketModeValidation.configProblems(Mode.PASSTHROUGH, parsed(config("""
                [passthrough]
                source_addr = "10.99.0.10"
                """, BGP)));
        assertThat(problems).extracting(Problem::toString).containsExactly("config: passthrough.source_addr: "
                + "\"10.99.0.10\" (expected: an address of this appliance's own, not a VIP: the servers' replies to a"
                + " VIP that other appliances announce too are routed to any of them)");
    }

    @Test
    void theSourceAddressMustBeOnTheCaptureInterfaceAndHealthChecksLeaveFromIt() throws Exception {
        var good = PacketModeValidation.check(Mode.PASSTHROUGH, parsed(config("""
                [passthrough]
                source_addr = ["10.1.0.11", "2001:db8::11"]
                """, BGP)), null, host());
        assertThat(good.problems()).isEmpty();
        assertThat(good.interfaceName()).isEqualTo("eth0");
        assertThat(good.healthSources()).containsExactly(InetAddress.getByName("10.1.0.11"));

        var elsewhere = PacketModeValidation.check(Mode.PASSTHROUGH, parsed(config("""
                [passthrough]
                source_addr = "10.1.0.50"
                """, BGP)), null, host());
        assertThat(elsewhere.problems()).extracting(Problem::toString).containsExactly("config: passthrough.source_addr:"
                + " \"10.1.0.50\" (expected: an address on interface eth0, where the VIPs are and the servers' replies"
                + " are captured; it is on eth1)");

        var foreign = PacketModeValidation.check(Mode.PASSTHROUGH, parsed(config("""
                [passthrough]
                source_addr = "10.1.0.99"
                """, BGP)), null, host());
        assertThat(foreign.problems()).extracting(Problem::toString).containsExactly("config: passthrough.source_addr:"
                + " \"10.1.0.99\" (expected: an address assigned to a local interface, eth0, where the servers' replies"
                + " to it are captured)");
    }

    @Test
    void badSourceAddressValuesAreRefusedByTheLoader() {
        var result = ConfigLoader.parse(config("""
                [passthrough]
                source_addr = ["10.1.0.11", "10.1.0.12", "appliance-a", "127.0.0.1"]
                """, ""), "convey.toml");
        assertThat(result.problems()).extracting(Problem::toString).containsExactly(
                "convey.toml:8: passthrough.source_addr: \"10.1.0.12\" (expected: at most one IPv4 and one IPv6 address)",
                "convey.toml:8: passthrough.source_addr: \"appliance-a\" (expected: an IP address of this appliance,"
                        + " such as \"192.0.2.11\" or \"2001:db8::11\", or an array of one of each; hostnames are not"
                        + " resolved)",
                "convey.toml:8: passthrough.source_addr: \"127.0.0.1\" (expected: an IP address of this appliance,"
                        + " such as \"192.0.2.11\" or \"2001:db8::11\", or an array of one of each; hostnames are not"
                        + " resolved)");
    }

    @Test
    void validateWithThePassthroughFlagPrintsTheRefusalWithFileLineAndKey() throws Exception {
        Path file = dir.resolve("convey.toml");
        Files.writeString(file, config("", BGP));
        var err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "--validate", "-p", "--config=" + file);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(file + ":2: frontends.web.listen_addr: "
                + "\"10.99.0.10:80\" (expected: [passthrough] source_addr with this appliance's own IPv4 address");

        Files.writeString(file, config("""
                [passthrough]
                source_addr = "10.1.0.11"
                """, BGP));
        var out = new ByteArrayOutputStream();
        code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "--validate", "-p",
                "--config=" + file);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("valid (1 frontends");
    }
}
