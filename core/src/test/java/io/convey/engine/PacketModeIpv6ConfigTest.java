package io.convey.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.convey.config.Mode;
import io.convey.config.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which IPv6 configurations the packet modes take: passthrough and DSR nat, one family per frontend and pool; each
 * problem names the file, the key's line and its path.
 */
class PacketModeIpv6ConfigTest {

    static String config(String vip, String dsrMethod, String... servers) {
        StringBuilder toml = new StringBuilder("[frontends.web6]\nlisten_addr = \"" + vip + "\"\nbackend = \"pool\"\n"
                + "[backends.pool]\ndsr_method = \"" + dsrMethod + "\"\n");
        for (int i = 0; i < servers.length; i++) {
            toml.append("[backends.pool.servers.s").append(i + 1).append("]\naddr = \"").append(servers[i])
                    .append("\"\n");
        }
        return toml.toString();
    }

    /** Problems quote addresses as the config package formats them (RFC 5952). */
    static List<String> problems(Mode mode, String text) {
        Engine engine = Engine.packet(mode);
        try {
            ReloadStatus status = EngineFixture.attempt(engine, text);
            return status.problems().stream().map(Problem::toString).toList();
        } finally {
            engine.close();
        }
    }

    @Test
    void dsrL2AndIpipRejectAnIpv6Vip() {
        assertThat(problems(Mode.DSR, config("[fd00:5::10]:80", "l2", "[fd00:5::4]:8080"))).containsExactly(
                "convey.toml:2: frontends.web6.listen_addr: \"[fd00:5::10]:80\""
                + " (expected: an IPv4 address for dsr_method l2)");
        assertThat(problems(Mode.DSR, config("[fd00:5::10]:80", "ipip", "[fd00:5::4]:8080"))).containsExactly(
                "convey.toml:2: frontends.web6.listen_addr: \"[fd00:5::10]:80\""
                + " (expected: an IPv4 address for dsr_method ipip)");
    }

    @Test
    void aPoolMustNotMixFamiliesWithItsVipAndTheProblemNamesTheServer() {
        assertThat(problems(Mode.PASSTHROUGH, config("[fd00:5::10]:80", "nat", "[fd00:5::4]:8080",
                "10.9.0.5:8080"))).containsExactly("convey.toml:9: backends.pool.servers.s2.addr: \"10.9.0.5:8080\""
                + " (expected: an IPv6 address like the VIP of frontend web6: packet modes do not translate between"
                + " IPv4 and IPv6)");
        assertThat(problems(Mode.DSR, config("10.9.0.10:80", "nat", "[fd00:5::4]:8080"))).containsExactly(
                "convey.toml:7: backends.pool.servers.s1.addr: \"[fd00:5::4]:8080\""
                + " (expected: an IPv4 address like the VIP of frontend web6: packet modes do not translate between"
                + " IPv4 and IPv6)");
    }

    @Test
    void anIpv6VipIsNoLongerRejectedForItsFamilyInPassthroughOrDsrNat() {
        // documentation prefix, on no interface here: the only problem left is where the VIP lives
        for (Mode mode : List.of(Mode.PASSTHROUGH, Mode.DSR)) {
            assertThat(problems(mode, config("[2001:db8:77::10]:80", "nat", "[2001:db8:77::4]:8080"))).containsExactly(
                    "convey.toml:2: frontends.web6.listen_addr: \"[2001:db8:77::10]:80\""
                    + " (expected: an address assigned to a local interface)");
        }
    }

    @Test
    void linkLocalAddressesAreRejectedWithTheReason() {
        assertThat(problems(Mode.PASSTHROUGH, config("[fe80::10]:80", "nat", "[fe80::4]:8080"))).contains(
                "convey.toml:2: frontends.web6.listen_addr: \"[fe80::10]:80\" (expected: a global or unique-local IPv6"
                + " address: the packet modes do not keep the interface scope that a link-local (fe80::/10) address"
                + " needs)",
                "convey.toml:7: backends.pool.servers.s1.addr: \"[fe80::4]:8080\" (expected: a global or unique-local IPv6"
                + " address: the packet modes do not keep the interface scope that a link-local (fe80::/10) address"
                + " needs)");
    }
}
